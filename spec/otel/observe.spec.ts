// Order conformance and statistics under the OpenTelemetry backend and a real SDK: the trace ID
// is the example correlation ID, and async ends come from the backend's own reaction.
import { diffDag, entrypoint, flowStats, step } from "../../lib";
import { useOtelSdk } from "../support/use-otel-sdk";

const sdk = useOtelSdk();

test("under OpenTelemetry: each async call counted once, errors from rejections, order checked with the trace ID as example", async () => {
  const second = step("second", async (fail: boolean) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (fail) throw new Error("no");
  }, { flow: "otel_flow", after: "first" });
  const first = step("first", async () => undefined, { flow: "otel_flow", after: "go" });
  const go = entrypoint("go", async (swap: boolean) => {
    if (swap) {
      await second(false);
      await first();
    } else {
      await first();
      await second(false);
    }
  }, { flow: "otel_flow" });
  await go(false);
  await go(true);
  await expect(entrypoint("go_fail", async () => second(true), { flow: "otel_flow" })()).rejects.toThrow("no");
  const stats = flowStats("otel_flow");
  expect(stats.steps.map(({ step, calls, errors }) => [step, calls, errors])).toEqual([
    ["first", 2, 0],
    ["go", 2, 0],
    ["go_fail", 1, 1],
    ["second", 3, 1],
  ]);
  const swapped = sdk.spans().filter((span) => span.name === "go")[1]!.spanContext().traceId;
  const diff = diffDag("otel_flow");
  expect(diff.outOfOrder).toEqual([{ from: "first", to: "second", count: 1, example: swapped }]);
  // second ran first in the swapped call, and alone under go_fail: both unpreceded.
  expect(diff.unpreceded).toEqual([{ step: "second", count: 2, example: swapped }]);
});
