// One context under OpenTelemetry: with the OpenTelemetry backend, penstock's flow frame lives
// in OpenTelemetry's active Context (lib/otel/otel-frames.ts) and penstock's own store is left
// unused; where that context cannot carry it (no context manager, a tracer that ignores the
// context it is given), penstock's own store carries it instead, and a switch of backend in
// the middle of a flow keeps the flow.
import { context, createContextKey, trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { bindFlow, configure, currentFlowId, entrypoint, getFlowContext, getFlowValue, runInFlow, setFlowValue, step } from "../../lib";
import { otelBackend } from "../../lib/otel";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { frames } from "../../lib/context/frame-store";
import { useOtelSdk } from "../support/use-otel-sdk";

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
const here = (): string => `${currentFlowId()}/${getFlowContext()?.step}`;
const activeTraceId = (): string | undefined => trace.getActiveSpan()?.spanContext().traceId;

describe("with an SDK and its context manager", () => {
  const sdk = useOtelSdk();

  test("the frame is a value of OpenTelemetry's active Context, and penstock's own store stays empty", async () => {
    const seen: unknown[] = [];
    const inner = step("inner", async () => {
      await tick();
      seen.push(getFlowContext()?.step, (context.active().getValue(Symbol.for("penstock.frame@1")) as { step?: string } | undefined)?.step, frames.own.getStore());
      return currentFlowId();
    }, { flow: "one" });
    const outer = entrypoint("outer", async () => {
      await Promise.resolve();
      const id = await inner();
      seen.push(getFlowContext()?.step, frames.own.getStore());
      return id;
    }, { flow: "one" });

    const id = await outer();
    expect(seen).toEqual(["inner", "inner", undefined, "outer", undefined]);
    // The one-ID rule: the flow's ID is its trace ID.
    expect(id).toBe(sdk.span("outer").spanContext().traceId);
    expect(sdk.span("inner").parentSpanContext?.spanId).toBe(sdk.span("outer").spanContext().spanId);
  });

  test("a context the user derives inside a step keeps the flow and the user's value", async () => {
    const key = createContextKey("user key");
    const inner = step("inner", () => [here(), context.active().getValue(key)], { flow: "derive" });
    const outer = entrypoint("outer", () =>
      context.with(context.active().setValue(key, "mine"), async () => {
        await tick();
        return inner();
      }),
    { flow: "derive" });

    const [where, value] = await outer();
    expect(where).toBe(`${sdk.span("outer").spanContext().traceId}/inner`);
    expect(value).toBe("mine");
  });

  test("flow values, a nested entrypoint's fork, bindFlow and a generator step keep their flow", async () => {
    const later: Array<() => string> = [];
    const numbers = step("numbers", async function* () {
      yield here();
      await tick();
      yield getFlowValue<string>("k");
    }, { flow: "values" });
    const nested = entrypoint("nested", async () => {
      setFlowValue("k", "nested");
      return getFlowValue("k");
    }, { flow: "values_nested" });
    const outer = entrypoint("outer", async () => {
      setFlowValue("k", "outer");
      later.push(bindFlow(() => here()));
      const forked = await nested();
      const yielded: unknown[] = [];
      for await (const value of numbers()) yielded.push(value);
      return { forked, mine: getFlowValue("k"), yielded };
    }, { flow: "values" });

    const result = await outer();
    const id = sdk.span("outer").spanContext().traceId;
    expect(result).toEqual({ forked: "nested", mine: "outer", yielded: [`${id}/numbers`, "outer"] });
    await tick();
    expect(later[0]!()).toBe(`${id}/outer`);
  });

  test("runInFlow before any span: the spans inside carry the flow's ID, after awaits too", async () => {
    const inner = step("inner", async () => {
      await tick();
      return [currentFlowId(), activeTraceId()];
    }, { flow: "opened" });
    const handle = entrypoint("handle", async () => inner(), { flow: "opened" });

    const [flowId, traceId] = await runInFlow({ correlationId: "0af7651916cd43dd8448eb211c80319c" }, async () => {
      await tick();
      return handle();
    });
    expect(flowId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(traceId).toBe(flowId);
    expect(sdk.span("handle").spanContext().traceId).toBe(flowId);
  });

  test("switching backends in the middle of a flow keeps the flow, both ways", async () => {
    const recording = recordingBackend();
    // The flow's value, set before the switch, read after it: the same flow call.
    const seen = (): string => `${getFlowContext()?.step}:${getFlowValue<string>("before")}`;
    const afterSwitch = step("after_switch", async () => {
      await tick();
      return seen();
    }, { flow: "switch" });
    const started = entrypoint("started", async (to: "otel" | "recording") => {
      setFlowValue("before", to);
      configure(to === "otel" ? "otel" : recording);
      await tick();
      return [await afterSwitch(), seen()];
    }, { flow: "switch" });

    configure(recording);
    expect(await started("otel")).toEqual(["after_switch:otel", "started:otel"]);
    expect(sdk.spans().map((span) => span.name)).toEqual(["after_switch"]);

    configure("otel");
    expect(await started("recording")).toEqual(["after_switch:recording", "started:recording"]);
    expect(recording.spans.map((span) => span.step)).toEqual(["started", "after_switch"]);
  });

  test("a tracer that ignores the context it is given: penstock enters the frame itself", async () => {
    const real = trace.getTracer("real");
    const careless = {
      // Starts the span under whatever is active, never under the context penstock passes.
      startActiveSpan(name: string, ...rest: unknown[]) {
        const fn = rest[rest.length - 1] as (span: unknown) => unknown;
        const options = rest.length > 1 ? (rest[0] as object) : {};
        return real.startActiveSpan(name, options, fn as never);
      },
    };
    configure({ backend: otelBackend({ tracer: careless }) });
    const inner = step("inner", async () => {
      await tick();
      return here();
    }, { flow: "careless" });
    const outer = entrypoint("outer", async () => [currentFlowId(), await inner(), here()], { flow: "careless" });

    const [id, inside, back] = await outer();
    expect(inside).toBe(`${id}/inner`);
    expect(back).toBe(`${id}/outer`);
  });
});

test("the OpenTelemetry backend without a context manager: penstock's own store carries the flow", async () => {
  resetPenstock();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  try {
    configure("otel");
    const inner = step("inner", async () => {
      await tick();
      return here();
    }, { flow: "no_manager" });
    const outer = entrypoint("outer", async () => {
      await tick();
      return [currentFlowId(), await inner(), here()];
    }, { flow: "no_manager" });
    const opened = await runInFlow({}, async () => {
      await tick();
      return [currentFlowId(), await outer()];
    });

    const [runId, [id, inside, back]] = opened as [string, string[]];
    expect(id).toBe(runId);
    expect(inside).toBe(`${id}/inner`);
    expect(back).toBe(`${id}/outer`);
    expect(exporter.getFinishedSpans().map((span) => span.name).sort()).toEqual(["inner", "outer"]);
  } finally {
    await provider.shutdown();
    trace.disable();
  }
});
