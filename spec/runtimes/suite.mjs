// The portable smoke suite: penstock's built package as a user imports it, on any runtime with
// web-standard globals and node:async_hooks (Node, Bun, Deno, workerd under nodejs_compat).
// `coreTests` run inside the runtime; `httpTests(fetchFlow)` call `flowApp`, served by that
// runtime's own HTTP server (Bun.serve, Deno.serve, node:http, or a Worker's fetch reached
// through Miniflare's dispatchFetch), through `fetchFlow(headers)`.
import pino from "pino";
import {
  configure,
  currentFlowId,
  entrypoint,
  extractFlow,
  flow,
  flowKey,
  flowReport,
  generateDag,
  getBackend,
  getFlowContext,
  getFlowValue,
  injectFlow,
  isPenstockError,
  loggingBackend,
  bindFlow,
  runInFlow,
  setFlowValue,
  step,
  stepInfo,
  validateFlow,
} from "penstock";
import { withFlow } from "penstock/http";
import { recordingBackend } from "penstock/testing";
import { check, equal } from "./harness.mjs";

const ID = /^[0-9a-f]{32}$/;
const later = (value, ms = 1) => new Promise((resolve) => setTimeout(() => resolve(value?.()), ms));
/** The flow's ID and the running step, as the code inside a call sees them. */
const seen = () => `${currentFlowId()}/${getFlowContext()?.step}`;

function throwsCode(fn, code, what) {
  try {
    fn();
  } catch (error) {
    check(isPenstockError(error) && error.code === code, `${what}: expected PenstockError ${code}, got ${error?.code ?? error}`);
    return;
  }
  throw new Error(`${what}: expected PenstockError ${code}, nothing was thrown`);
}

/** A pino logger whose records land in `records`: pino's Node build or, where the bundler picked it (Workers), its browser build. */
export function capturingPino(records) {
  if (typeof pino.destination === "function") {
    return pino({ base: undefined }, { write: (line) => records.push(JSON.parse(line)) });
  }
  return pino({ browser: { write: (record) => records.push(record) } });
}

async function wrapping_keeps_this_arguments_results_and_errors() {
  configure(recordingBackend());
  const failure = new Error("declined");
  const total = entrypoint("total", function (a, b) {
    return { self: this, sum: a + b, id: currentFlowId() };
  }, { flow: "fidelity" });
  const reject = step("reject", async () => {
    throw failure;
  }, { after: total });
  const failSync = entrypoint("fail_sync", () => {
    throw failure;
  }, { flow: "fidelity_sync" });

  const self = { name: "receiver" };
  const result = total.call(self, 2, 3);
  check(!(result instanceof Promise), "a sync function stays sync");
  check(result.self === self && result.sum === 5 && ID.test(result.id), `this, arguments and result: ${JSON.stringify(result)}`);
  equal([total.name, total.length, stepInfo(total)?.kind, stepInfo(reject)?.after], ["total", 2, "entrypoint", ["total"]], "name, length and StepInfo");
  let thrown;
  try {
    failSync();
  } catch (error) {
    thrown = error;
  }
  check(thrown === failure, "a sync throw is the function's own error");
  const rejected = await runInFlow({}, () => reject()).then(() => undefined, (error) => error);
  check(rejected === failure, "a rejection is the function's own error");
  throwsCode(() => reject(), "OUTSIDE_FLOW", "a step outside a flow");
}

async function one_correlation_id_across_await_setTimeout_queueMicrotask_and_then() {
  configure(recordingBackend());
  const load = step("load", async () => {
    const first = seen();
    await null;
    const timer = await later(seen, 2);
    const micro = await new Promise((resolve) => queueMicrotask(() => resolve(seen())));
    const then = await Promise.resolve().then(seen);
    const chained = await later(null).then(() => later(seen));
    return [first, timer, micro, then, chained, seen()];
  }, { flow: "async_hops" });
  const save = step("save", (n) => later(() => `${seen()}#${n}`), { after: load });
  const place = entrypoint("place", async () => {
    const loaded = await load();
    const saved = await Promise.all([save(1), save(2)]);
    return { id: currentFlowId(), loaded, saved, end: await later(seen) };
  }, { flow: "async_hops" });

  const { id, loaded, saved, end } = await place();
  check(ID.test(id), `a fresh ID is 32 hex: ${id}`);
  equal(loaded, Array(6).fill(`${id}/load`), "inside load");
  equal(saved, [`${id}/save#1`, `${id}/save#2`], "parallel steps");
  equal(end, `${id}/place`, "the entrypoint after its steps");
  check(currentFlowId() === undefined, "no flow after the call");
}

async function then_chains_of_many_concurrent_flows_keep_their_flow() {
  configure(recordingBackend());
  // Plain .then() chains (no await) of concurrent flows, next to chains outside any flow: the
  // pattern of oven-sh/bun#33806, where Bun 1.4.0 dropped the store in .then() continuations.
  const link = step("link", (n) => `${seen()}#${n}`, { flow: "then_chains" });
  const chain = entrypoint("chain", () => {
    const own = currentFlowId();
    let promise = Promise.resolve([]);
    for (let n = 0; n < 10; n++) promise = promise.then((links) => later(null, n % 2).then(() => [...links, link(n)]));
    return promise.then((links) => ({ own, links }));
  }, { flow: "then_chains" });
  const churn = Array.from({ length: 50 }, () => Promise.resolve().then(() => later(null)).then(() => currentFlowId()));

  const results = await Promise.all(Array.from({ length: 100 }, () => chain()));
  results.forEach(({ own, links }, n) => equal(links, Array.from({ length: 10 }, (_, k) => `${own}/link#${k}`), `chain ${n}`));
  equal(new Set(results.map(({ own }) => own)).size, 100, "distinct flow IDs");
  check((await Promise.all(churn)).every((id) => id === undefined), "chains outside any flow see no flow");
}

async function process_nextTick_and_awaited_thenables_keep_the_flow() {
  configure(recordingBackend());
  const { nextTick } = await import("node:process");
  // A non-promise thenable awaited after an await (oven-sh/bun#34266 lost the store in its then()).
  const thenable = { then: (resolve) => resolve(seen()) };
  const probe = step("probe", async () => {
    const tick = await new Promise((resolve) => nextTick(() => resolve(seen())));
    await later();
    const inThen = await thenable;
    return [tick, inThen, seen()];
  }, { flow: "ticks_and_thenables" });
  const begin = entrypoint("begin_probe", async () => ({ id: currentFlowId(), seen: await probe() }), { flow: "ticks_and_thenables" });

  const { id, seen: inside } = await begin();
  equal(inside, Array(3).fill(`${id}/probe`), "process.nextTick, a thenable's then(), after both");
}

async function bindFlow_and_async_generator_steps_keep_the_flow() {
  configure(recordingBackend());
  const queue = [];
  const ticks = step("ticks", async function* () {
    for (let n = 0; n < 3; n++) {
      await later();
      yield `${seen()}#${n}`;
    }
  }, { flow: "generators" });
  const run = entrypoint("run_generators", async () => {
    queue.push(bindFlow(() => seen()));
    const values = [];
    for await (const value of ticks()) values.push(value);
    return { id: currentFlowId(), values };
  }, { flow: "generators" });

  const { id, values } = await run();
  equal(values, [0, 1, 2].map((n) => `${id}/ticks#${n}`), "values yielded across awaits");
  equal(queue.map((callback) => callback()), [`${id}/run_generators`], "a bound callback, called outside the flow");
}

async function nested_entrypoints_share_the_id_and_fork_the_values() {
  configure(recordingBackend());
  const audit = entrypoint("audit", async () => {
    setFlowValue("who", "audit");
    await later();
    return { id: currentFlowId(), who: getFlowValue("who"), step: getFlowContext().step };
  }, { flow: "audit" });
  const order = entrypoint("order", async () => {
    setFlowValue("who", "order");
    const inner = await audit();
    return { id: currentFlowId(), inner, who: getFlowValue("who") };
  }, { flow: "order" });

  const { id, inner, who } = await order();
  equal(inner, { id, who: "audit", step: "audit" }, "the nested entrypoint");
  equal(who, "order", "the outer flow's value after the nested one wrote its own");
}

async function flow_values_follow_the_flow_through_steps() {
  configure(recordingBackend());
  const tenant = flowKey("tenant");
  const read = step("read_tenant", async () => {
    await later();
    setFlowValue("seen_by_step", true);
    return getFlowValue(tenant, "none");
  }, { flow: "values" });
  const handle = entrypoint("handle_values", async () => {
    setFlowValue(tenant, "acme");
    const inStep = await read();
    return { inStep, written: getFlowValue("seen_by_step"), copy: [...getFlowContext().values.keys()].sort() };
  }, { flow: "values" });

  equal(await handle(), { inStep: "acme", written: true, copy: ["seen_by_step", "tenant"] }, "values");
  equal(await runInFlow({ values: [["tenant", "initial"]] }, () => getFlowValue(tenant)), "initial", "runInFlow's initial values");
  equal(getFlowValue(tenant, "fallback"), "fallback", "outside a flow");
  throwsCode(() => setFlowValue(tenant, "x"), "OUTSIDE_FLOW", "setFlowValue outside a flow");
}

async function two_hundred_concurrent_flows_keep_apart() {
  const recorder = recordingBackend();
  configure(recorder);
  const charge = step("charge", async (n) => {
    await later(null, n % 7);
    return { id: currentFlowId(), n: getFlowValue("n") };
  }, { flow: "concurrent" });
  const checkout = entrypoint("checkout", async (n) => {
    setFlowValue("n", n);
    await later(null, (n * 3) % 5);
    const charged = await charge(n);
    return { own: currentFlowId(), charged, after: getFlowValue("n") };
  }, { flow: "concurrent" });

  const results = await Promise.all(Array.from({ length: 200 }, (_, n) => checkout(n)));
  equal(new Set(results.map((result) => result.own)).size, 200, "distinct flow IDs");
  results.forEach((result, n) => equal(result, { own: result.own, charged: { id: result.own, n }, after: n }, `flow ${n}`));
  const byId = new Map();
  for (const span of recorder.spans) byId.set(span.correlationId, [...(byId.get(span.correlationId) ?? []), span.step]);
  check([...byId.values()].every((steps) => steps.join() === "charge,checkout"), "each flow's spans: charge then checkout, under its own ID");
}

async function generateDag_and_validateFlow_draw_and_check_flows() {
  const signup = flow("signup");
  const begin = signup.entrypoint("begin_signup", () => undefined);
  const verify = signup.step("verify_email", () => undefined, { after: begin });
  signup.step("welcome", () => undefined, { after: [begin, verify] });
  equal(generateDag("signup"), "graph TD\n    begin_signup --> verify_email\n    begin_signup --> welcome\n    verify_email --> welcome\n", "mermaid");
  const json = JSON.parse(generateDag("signup", { format: "json" }));
  equal(json.flows.map((entry) => entry.name), ["signup"], "json flows");
  check(generateDag("signup", { format: "dot" }).startsWith("digraph"), "dot");
  equal(validateFlow("signup"), [], "a valid flow");
  flow("orphans").step("lonely", () => undefined);
  equal(validateFlow("orphans").map((problem) => problem.code), ["NO_ENTRYPOINT"], "a flow without an entrypoint");
  throwsCode(() => generateDag("no_such_flow"), "UNKNOWN_FLOW", "an unknown flow");
}

async function logging_backend_writes_step_records_through_pino() {
  const records = [];
  configure(loggingBackend({ logger: capturingPino(records) }));
  const fail = step("fail", async () => {
    await later();
    throw new Error("boom");
  }, { flow: "logged" });
  const go = entrypoint("go", async () => {
    await fail().catch(() => undefined);
    return currentFlowId();
  }, { flow: "logged" });

  const id = await go();
  const lines = records.map((record) => [record.msg, record.step, record.outcome ?? "-", record.correlation_id === id]);
  equal(lines, [["step.start", "go", "-", true], ["step.start", "fail", "-", true], ["step.end", "fail", "error", true], ["step.end", "go", "ok", true]], "records");
  check(records.every((record) => typeof record.span_id === "string" && record.flow === "logged"), "span IDs and flow on every record");
}

async function auto_detection_and_the_default_logging_backend_work() {
  // Auto-detection looks for OpenTelemetry through createRequire, which Workers' bundles lack.
  configure("auto");
  equal(getBackend().name, "logging", "the auto-detected backend");
  const faults = [];
  configure({ backend: "auto", onError: (error) => faults.push(String(error)) });
  const greet = entrypoint("greet", async (name) => {
    await later();
    return `hello ${name} ${ID.test(currentFlowId())}`;
  }, { flow: "default_logging" });
  equal(await greet("ada"), "hello ada true", "the call's own result");
  equal(faults, [], "faults reported");
  configure(recordingBackend());
}

async function a_custom_backend_gets_spans_and_cannot_break_calls() {
  const spans = [];
  configure({
    name: "custom",
    span(info, run) {
      spans.push(`start:${info.step}:${info.kind}`);
      const result = run();
      return Promise.resolve(result).finally(() => spans.push(`end:${info.step}`));
    },
    getCorrelationId: () => "custom-trace-1",
  });
  const inner = step("inner_custom", async () => later(() => currentFlowId()), { flow: "custom" });
  const outer = entrypoint("outer_custom", async () => inner(), { flow: "custom" });
  equal(await outer(), "custom-trace-1", "the backend's correlation ID is the flow's");
  equal(spans, ["start:outer_custom:entrypoint", "start:inner_custom:step", "end:inner_custom", "end:outer_custom"], "spans");

  // A backend that throws never changes what the function does; the fault goes to a warning
  // (process.emitWarning, or console.warn where there is none), once.
  configure({ name: "broken", span: () => { throw new Error("backend down"); }, getCorrelationId: () => undefined });
  const still = entrypoint("still_works", (n) => n * 2, { flow: "broken_backend" });
  equal([still(21), still(1)], [42, 2], "results under a throwing backend");
  configure(recordingBackend());
}

async function injectFlow_and_extractFlow_carry_a_flow_across_a_boundary() {
  configure(recordingBackend());
  const send = entrypoint("send", () => ({ id: currentFlowId(), record: injectFlow({ job: "ship" }), headers: injectFlow(new Headers()) }), { flow: "carrier" });
  const { id, record, headers } = send();
  check(record.job === "ship" && record["x-correlation-id"] === id, `a record carrier: ${JSON.stringify(record)}`);
  check(new RegExp(`^00-${id}-[0-9a-f]{16}-01$`).test(record.traceparent), `traceparent: ${record.traceparent}`);
  equal(headers.get("x-correlation-id"), id, "a Headers carrier");
  const receive = entrypoint("receive", () => currentFlowId(), { flow: "carrier_receive" });
  equal(runInFlow(extractFlow(record), receive), id, "continued from a record");
  equal(runInFlow(extractFlow(headers), receive), id, "continued from Headers");
  equal(extractFlow({ "x-correlation-id": "no spaces allowed" }), {}, "an invalid inbound ID is left out");
  equal(injectFlow({ a: "1" }), { a: "1" }, "outside a flow the carrier is unchanged");
}

async function flowReport_renders_the_report_page() {
  configure(recordingBackend());
  const ship = entrypoint("ship_report", async () => pack(), { flow: "report" });
  const pack = step("pack_report", async () => later(() => "packed"), { after: ship });
  equal(await ship(), "packed", "the flow's result");
  const html = flowReport({ flows: ["report"], title: "report <here>" });
  check(html.startsWith("<!doctype html>\n"), "an HTML document");
  check(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*';/.test(html), "the CSP with the script's hash");
  check(html.includes("<title>report &lt;here&gt;</title>") && html.includes("<h2>flow report</h2>"), "the title and the flow, escaped");
  check(html.includes('class="node"><title>pack_report</title>') && html.includes("<title>ship_report-&gt;pack_report</title>"), "the drawing's node and edge");
}

export const coreTests = [
  wrapping_keeps_this_arguments_results_and_errors,
  one_correlation_id_across_await_setTimeout_queueMicrotask_and_then,
  then_chains_of_many_concurrent_flows_keep_their_flow,
  process_nextTick_and_awaited_thenables_keep_the_flow,
  bindFlow_and_async_generator_steps_keep_the_flow,
  nested_entrypoints_share_the_id_and_fork_the_values,
  flow_values_follow_the_flow_through_steps,
  two_hundred_concurrent_flows_keep_apart,
  generateDag_and_validateFlow_draw_and_check_flows,
  logging_backend_writes_step_records_through_pino,
  auto_detection_and_the_default_logging_backend_work,
  a_custom_backend_gets_spans_and_cannot_break_calls,
  injectFlow_and_extractFlow_carry_a_flow_across_a_boundary,
  flowReport_renders_the_report_page,
];

// The served app: one flow per request, a step that awaits a timer, the flow's ID in the body.
const handleRequest = entrypoint("handle_request", async (path) => {
  await later();
  const user = await loadUser();
  return { id: currentFlowId(), user, path, after: await later(seen) };
}, { flow: "http" });
const loadUser = step("load_user", async () => later(seen), { after: handleRequest });

/** A fetch-style handler in a flow, as a user serves it on Bun, Deno or a Worker. */
export const flowApp = withFlow(async (request) => Response.json(await handleRequest(new URL(request.url).pathname)));

/** Tests of `flowApp` as served; `fetchFlow(headers)` sends one GET to it and returns the Response. */
export function httpTests(fetchFlow) {
  async function body(response) {
    check(response.status === 200, `status ${response.status}`);
    return { header: response.headers.get("x-correlation-id"), ...(await response.json()) };
  }
  async function withFlow_answers_with_the_flows_X_Correlation_ID() {
    const { header, id, user, after } = await body(await fetchFlow({}));
    check(ID.test(header), `a fresh ID in X-Correlation-ID: ${header}`);
    equal([id, user, after], [header, `${header}/load_user`, `${header}/handle_request`], "the flow inside the request");
  }
  async function withFlow_continues_a_valid_inbound_ID() {
    const { header, id, user } = await body(await fetchFlow({ "X-Correlation-ID": "req-42.checkout" }));
    equal([header, id, user], ["req-42.checkout", "req-42.checkout", "req-42.checkout/load_user"], "the inbound ID");
    const traced = await body(await fetchFlow({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" }));
    equal([traced.header, traced.id], ["4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736"], "an inbound traceparent");
  }
  async function withFlow_replaces_an_invalid_inbound_ID() {
    for (const bad of ["has spaces", "x".repeat(200), "<script>"]) {
      const { header, id } = await body(await fetchFlow({ "X-Correlation-ID": bad }));
      check(ID.test(header) && header === id, `"${bad.slice(0, 20)}" replaced by a fresh ID, got ${header}`);
    }
  }
  async function withFlow_keeps_concurrent_requests_apart() {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => fetchFlow(n % 2 ? { "X-Correlation-ID": `req-${n}` } : {}).then(body)));
    check(answers.every(({ header, id, user }) => header === id && user === `${id}/load_user`), "each request's own flow");
    equal(new Set(answers.map(({ id }) => id)).size, 20, "distinct IDs");
    answers.forEach(({ id }, n) => n % 2 && equal(id, `req-${n}`, `request ${n}`));
  }
  return [
    withFlow_answers_with_the_flows_X_Correlation_ID,
    withFlow_continues_a_valid_inbound_ID,
    withFlow_replaces_an_invalid_inbound_ID,
    withFlow_keeps_concurrent_requests_apart,
  ];
}

/** What the runtime offers of what penstock uses, for the report (docs/runtimes.md). */
export async function runtimeFeatures() {
  const hooks = await import("node:async_hooks");
  const storage = new hooks.AsyncLocalStorage();
  let enterWith;
  try {
    storage.run(0, () => storage.enterWith(1));
    enterWith = true;
  } catch {
    enterWith = false;
  }
  return {
    enterWith,
    createHook: typeof hooks.createHook === "function",
    executionAsyncResource: typeof hooks.executionAsyncResource === "function",
    emitWarning: typeof globalThis.process?.emitWarning === "function",
    pino: typeof pino.destination === "function" ? "node" : "browser",
  };
}
