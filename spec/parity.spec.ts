// Each behaviour penstock promises, case by case, through the public API.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  configure,
  currentFlowId,
  entrypoint,
  generateDag,
  getBackend,
  getFlowValue,
  getRegistry,
  loggingBackend,
  setFlowValue,
  step,
  type Backend,
} from "../lib";
import { recordingBackend, resetPenstock } from "../lib/testing";
import { captureLogger } from "./support/capture";
import { penstockErrorOf } from "./support/errors";
import { startOtelSdk } from "./support/otel-sdk";

const HEX32 = /^[0-9a-f]{32}$/;

beforeEach(() => resetPenstock());

test("wrappers register at wrap time, whatever the backend, before any call", () => {
  const start = entrypoint("start", () => undefined, { flow: "registration" });
  step("next", () => undefined, { after: start });
  expect(Object.keys(getRegistry().flow("registration").steps)).toEqual(["start", "next"]);
});

test("wrappers delegate each call to the configured backend, read at call time", () => {
  const first = recordingBackend();
  const second = recordingBackend();
  const call = entrypoint("delegated", () => 1);
  configure(first);
  call();
  configure(second);
  call();
  call();
  expect(first.spans).toHaveLength(1);
  expect(second.spans).toHaveLength(2);
});

test('configure("logging"), configure(customBackend), and an unknown string rejected', () => {
  configure("logging");
  expect(getBackend().name).toBe("logging");
  const custom: Backend = { name: "mine", span: (_info, run) => run(), getCorrelationId: () => undefined };
  configure(custom);
  expect(getBackend()).toBe(custom);
  expect(penstockErrorOf(() => configure("statsd" as never)).code).toBe("UNKNOWN_BACKEND");
});

test("auto-detection falls back to logging without an OpenTelemetry SDK", () => {
  expect(getBackend().name).toBe("logging");
});

describe("logging backend", () => {
  test("step.start and step.end with flow, step, correlation_id and duration_ms; attributes forwarded", () => {
    const { logger, records } = captureLogger();
    configure(loggingBackend({ logger }));
    entrypoint("log_me", () => 1, { attributes: { user_id: 7 } })();
    const [start, end] = records() as [Record<string, unknown>, Record<string, unknown>];
    expect(start).toMatchObject({ msg: "step.start", flow: "log_me", step: "log_me", user_id: 7 });
    expect(end).toMatchObject({ msg: "step.end", flow: "log_me", step: "log_me", user_id: 7 });
    expect(start.correlation_id).toMatch(HEX32);
    expect(end.correlation_id).toBe(start.correlation_id);
    expect(typeof end.duration_ms).toBe("number");
  });

  test("both records are written when the step throws", () => {
    const { logger, records } = captureLogger();
    configure(loggingBackend({ logger }));
    expect(() => entrypoint("throws", () => {
      throw new Error("x");
    })()).toThrow("x");
    expect(records().map((r) => r.msg)).toEqual(["step.start", "step.end"]);
  });
});

describe("OpenTelemetry backend with a real SDK", () => {
  test('configure("otel"): real spans, parent/child, penstock.flow, correlation ID = 32-hex trace ID', async () => {
    const sdk = startOtelSdk();
    try {
      configure("otel");
      expect(getBackend().name).toBe("otel");
      const ids: (string | undefined)[] = [];
      const charge = step("charge", async () => {
        ids.push(currentFlowId());
      }, { flow: "otel_orders" });
      const receive = entrypoint("receive", async () => {
        ids.push(currentFlowId());
        await charge();
      }, { flow: "otel_orders" });
      await receive();
      const spans = sdk.exporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(["charge", "receive"]);
      const [child, parent] = spans as [typeof spans[0], typeof spans[0]];
      expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(parent.attributes["penstock.flow"]).toBe("otel_orders");
      expect(child.attributes["penstock.flow"]).toBe("otel_orders");
      const traceId = parent.spanContext().traceId;
      expect(traceId).toMatch(HEX32);
      expect(ids).toEqual([traceId, traceId]);
    } finally {
      await sdk.shutdown();
    }
  });

  test("auto-detection picks OpenTelemetry when an SDK has registered a provider", async () => {
    const sdk = startOtelSdk();
    try {
      expect(getBackend().name).toBe("otel");
    } finally {
      await sdk.shutdown();
    }
  });
});

test("each entrypoint call outside a flow gets a new ID; steps inside share it; undefined outside", async () => {
  configure(recordingBackend());
  const inner = step("inner", async () => currentFlowId(), { flow: "ids" });
  const outer = entrypoint("ids", async () => [currentFlowId(), await inner()]);
  const [a, b] = await Promise.all([outer(), outer()]);
  expect(a![0]).toMatch(HEX32);
  expect(a![1]).toBe(a![0]);
  expect(b![1]).toBe(b![0]);
  expect(a![0]).not.toBe(b![0]);
  expect(currentFlowId()).toBeUndefined();
});

test("flow values set in one step are read by later steps; the fallback outside a flow or for a missing key", () => {
  configure(recordingBackend());
  const set = step("set", () => setFlowValue("user", "u-1"), { flow: "values" });
  const read = step("read", () => [getFlowValue("user"), getFlowValue("missing", "fb")], { flow: "values" });
  expect(entrypoint("values", () => {
    set();
    return read();
  })()).toEqual(["u-1", "fb"]);
  expect(getFlowValue("user", "outside")).toBe("outside");
});

test("after accepts a string, a wrapped function, or a list of either; several entrypoints per flow", () => {
  const web = entrypoint("web", () => undefined, { flow: "multi" });
  const cli = entrypoint("cli", () => undefined, { flow: "multi" });
  step("by_name", () => undefined, { flow: "multi", after: "web" });
  step("by_function", () => undefined, { after: cli });
  step("by_list", () => undefined, { after: [web, "cli"] });
  const multi = getRegistry().flow("multi");
  expect(multi.entrypoints).toEqual(["web", "cli"]);
  expect(multi.steps.by_name?.after).toEqual(["web"]);
  expect(multi.steps.by_function?.after).toEqual(["cli"]);
  expect(multi.steps.by_list?.after).toEqual(["web", "cli"]);
});

test("conflicting re-registration rejected, identical re-registration allowed", () => {
  // Identical: the same definition from the same site (a module loaded twice).
  const register = (after: string) => step("s", () => 1, { flow: "f", after });
  register("a");
  expect(() => register("a")).not.toThrow();
  expect(penstockErrorOf(() => register("b")).code).toBe("REGISTRY_CONFLICT");
  expect(penstockErrorOf(() => step("s", () => 1, { flow: "f", after: "a" })).code).toBe("REGISTRY_CONFLICT");
});

test("generateDag renders the Python documentation's user_update example exactly, and writes the file", () => {
  const receive = entrypoint("receive_request", () => undefined, { flow: "user_update" });
  const validate = step("validate_input", () => undefined, { after: receive });
  const permissions = step("check_permissions", () => undefined, { after: receive });
  const load = step("load_user", () => undefined, { after: [validate, permissions] });
  const update = step("update_user", () => undefined, { after: load });
  step("send_notification", () => undefined, { after: update });
  const expected = [
    "graph TD",
    "    check_permissions --> load_user",
    "    load_user --> update_user",
    "    receive_request --> check_permissions",
    "    receive_request --> validate_input",
    "    update_user --> send_notification",
    "    validate_input --> load_user",
    "",
  ].join("\n");
  const output = join(mkdtempSync(join(tmpdir(), "penstock-dag-")), "user_update.mmd");
  expect(generateDag("user_update", { output })).toBe(expected);
  expect(readFileSync(output, "utf8")).toBe(expected);
});

test("sync and async functions; methods called with this", async () => {
  configure(recordingBackend());
  const service = {
    prefix: "user-",
    name: step("name", function (this: { prefix: string }, id: number) {
      return this.prefix + id;
    }, { flow: "methods" }),
    load: step("load", async function (this: { prefix: string }, id: number) {
      return this.prefix + id;
    }, { flow: "methods" }),
  };
  const run = entrypoint("methods", async () => [service.name(1), await service.load(2)]);
  await expect(run()).resolves.toEqual(["user-1", "user-2"]);
});

describe("Python flaws not carried over", () => {
  test("a nested entrypoint does not wipe the outer flow's context", () => {
    configure(recordingBackend());
    const inner = entrypoint("inner", () => undefined);
    const outer = entrypoint("outer", () => {
      setFlowValue("k", "v");
      const before = currentFlowId();
      inner();
      return [before === currentFlowId(), getFlowValue("k")];
    });
    expect(outer()).toEqual([true, "v"]);
  });

  test("isolated steps are kept in a DAG that has edges", () => {
    const a = entrypoint("a", () => undefined, { flow: "iso" });
    step("b", () => undefined, { after: a });
    step("lonely", () => undefined, { flow: "iso" });
    expect(generateDag("iso")).toBe("graph TD\n    a --> b\n    lonely\n");
  });

  test("names Mermaid would misread are quoted", () => {
    const a = entrypoint("receive order", () => undefined, { flow: "quoting" });
    step("end", () => undefined, { after: a });
    const dag = generateDag("quoting");
    expect(dag).toMatch(/\["receive order"\]/);
    expect(dag).toMatch(/\["end"\]/);
    expect(dag).not.toMatch(/ end$/m);
  });
});
