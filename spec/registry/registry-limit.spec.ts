// A bounded registry: names built per call (`entrypoint("job_" + id, fn)`) must not be kept
// forever. Past 1,000 flows, or 10,000 steps in one flow, one PENSTOCK_REGISTRY_LIMIT warning
// names the flow and the likely cause; every call still runs and is traced, but the registry
// and the drift of that flow stop growing. And re-registration stays linear in `after`.
import { configure, diffDag, entrypoint, flow, getRegistry, step } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";

let warnings: jest.SpyInstance;
beforeEach(() => {
  resetPenstock();
  warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
});
afterEach(() => warnings.mockRestore());

const limitWarnings = (): string[] =>
  warnings.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "PENSTOCK_REGISTRY_LIMIT").map(([message]) => String(message));

test("100,000 entrypoints named per call: each runs and is traced; 1,000 flows recorded, one warning naming the first flow past the bound and the likely cause", () => {
  const recorder = recordingBackend();
  configure(recorder);
  for (let id = 0; id < 100_000; id++) {
    const job = entrypoint(`job_${id}`, (n: number) => n + id);
    expect(job(1)).toBe(1 + id);
  }
  expect(recorder.spans).toHaveLength(100_000);
  expect(recorder.spans[99_999]).toMatchObject({ flow: "job_99999", step: "job_99999" });
  expect(getRegistry().flowNames()).toHaveLength(1_000);
  expect(getRegistry().flowNames()).not.toContain("job_1000");
  const messages = limitWarnings();
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain('flow "job_1000"');
  expect(messages[0]).toMatch(/name built per call/);
});

test("20,000 steps named per call in one flow: each runs; 10,000 recorded, one warning naming the flow; its drift stops growing, another flow's goes on", () => {
  const orders = flow("orders");
  const made: ((n: number) => number)[] = [];
  const receive = orders.entrypoint("receive", (n: number) => made.reduce((sum, s) => sum + s(n), 0));
  // A step of another flow, called from nowhere declared: its drift is still observed.
  const other = flow("other");
  const helper = other.step("helper", () => 1);
  other.entrypoint("start", () => helper())();
  // One registration site for every line step, so that registering one again is the same registration.
  const line = (id: number) => orders.step(`line_${id}`, (n: number) => n);
  for (let id = 0; id < 20_000; id++) made.push(line(id));
  expect(receive(1)).toBe(20_000);
  expect(Object.keys(getRegistry().flow("orders").steps)).toHaveLength(10_000);
  const messages = limitWarnings();
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain('flow "orders"');
  expect(messages[0]).toMatch(/name built per call/);
  // No step of the full flow grows its drift (receive -> line_N is undeclared for all of them).
  expect(diffDag("orders").undeclared).toEqual([]);
  expect(diffDag("other").undeclared).toEqual([expect.objectContaining({ from: "start", to: "helper", count: 1 })]);
  // Re-registering a recorded step is still checked, and an identical one still accepted.
  expect(() => line(0)).not.toThrow();
  expect(() => step("line_1", () => 0, { flow: "orders", after: "receive" })).toThrow(expect.objectContaining({ code: "REGISTRY_CONFLICT" }));
});

test("resetPenstock() forgets the bound: the flows can be recorded (and warned of) again", () => {
  for (let id = 0; id <= 1_000; id++) entrypoint(`job_${id}`, () => id);
  expect(limitWarnings()).toHaveLength(1);
  resetPenstock();
  entrypoint("job_1000", () => 0);
  expect(getRegistry().flowNames()).toEqual(["job_1000"]);
  for (let id = 0; id <= 1_000; id++) entrypoint(`again_${id}`, () => id);
  expect(limitWarnings()).toHaveLength(2);
});

test("re-registering a step with 50,000 predecessors in another order is the same registration (its cost: bench/registry.bench.mjs)", () => {
  const predecessors = Array.from({ length: 50_000 }, (_, i) => `p${i}`);
  const shuffled = [...predecessors].reverse();
  // One registration site, so that the second registration of a step is the same one.
  const join = (after: string[]) => step("join", () => 0, { flow: "wide", after });
  join(predecessors);
  expect(() => join(shuffled)).not.toThrow();
  const steps = getRegistry().flow("wide").steps;
  expect(Object.keys(steps)).toEqual(["join"]);
  expect(new Set(steps.join!.after)).toEqual(new Set(predecessors));
});
