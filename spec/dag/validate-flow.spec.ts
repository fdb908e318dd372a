// validateFlow: each kind of problem, in a stable order, on flows of any size.
import { validateFlow } from "../../lib/dag";
import type { Registry } from "../../lib/types";
import { FIXTURES } from "./corpus";
import { chain, makeRegistry, USER_UPDATE } from "./registry-fixture";

const codes = (registry: Registry, flow: string): string[] => validateFlow(flow, registry).map((p) => `${p.code} ${p.step ?? ""}`.trim());

test("a sound flow has no problems; steps off every path from an entrypoint are unreachable", () => {
  expect(validateFlow("user_update", makeRegistry(USER_UPDATE))).toEqual([]);
  expect(validateFlow("user_update", makeRegistry(FIXTURES.withIsolated!)).map((p) => p.code)).toEqual(["UNREACHABLE", "UNREACHABLE"]);
});

test("a flow without an entrypoint, an unknown step, and two disjoint cycles, one of them a self-loop", () => {
  expect(validateFlow("broken", makeRegistry(FIXTURES.problems!))).toEqual([
    {
      code: "NO_ENTRYPOINT",
      flow: "broken",
      message: 'Flow "broken" has no entrypoint, so nothing can start it. Wrap the function that starts it with entrypoint(..., { flow: "broken" }).',
    },
    {
      code: "UNKNOWN_STEP",
      flow: "broken",
      step: "c",
      message: 'Step "c" of flow "broken" lists "missing" in its `after`, but flow "broken" has no step "missing". Fix the name, or register that step in this flow.',
    },
    {
      code: "CYCLE",
      flow: "broken",
      step: "a",
      cycle: ["a", "b"],
      message: 'Steps "a", "b" of flow "broken" form a cycle (a -> b -> a). A flow must be a DAG: remove one of these `after` references.',
    },
    {
      code: "CYCLE",
      flow: "broken",
      step: "c",
      cycle: ["c"],
      message: 'Step "c" of flow "broken" lists itself in its own `after`. A flow must be a DAG: remove one of these `after` references.',
    },
  ]);
});

test("a cycle reached from the entrypoint is reported once, with one concrete path round it", () => {
  const [problem, ...rest] = validateFlow("loops", makeRegistry(FIXTURES.problems!));
  expect(rest).toEqual([]);
  expect(problem).toMatchObject({ code: "CYCLE", step: "x", cycle: ["x", "y", "z"] });
  expect(problem!.message).toContain("(x -> y -> z -> x)");
});

test("a cycle with a chord lists every step caught in it, and the shortest path round", () => {
  const registry = makeRegistry([
    { flow: "f", name: "e", kind: "entrypoint" },
    { flow: "f", name: "a", after: ["e", "d"] },
    { flow: "f", name: "b", after: "a" },
    { flow: "f", name: "c", after: "b" },
    { flow: "f", name: "d", after: ["c", "a"] },
  ]);
  const [problem] = validateFlow("f", registry);
  expect(problem).toMatchObject({ code: "CYCLE", cycle: ["a", "b", "c", "d"] });
  expect(problem!.message).toContain("(a -> d -> a)");
});

test("steps no entrypoint reaches are unreachable, and so is what only they lead to", () => {
  const registry = makeRegistry([
    { flow: "f", name: "e", kind: "entrypoint" },
    { flow: "f", name: "a", after: "e" },
    { flow: "f", name: "b" },
    { flow: "f", name: "c", after: "b" },
    { flow: "f", name: "d", after: "ghost" },
    { flow: "f", name: "e2", kind: "entrypoint", after: "e" },
    { flow: "f", name: "f", after: "e2" },
  ]);
  expect(codes(registry, "f")).toEqual(["UNKNOWN_STEP d", "UNREACHABLE b", "UNREACHABLE c", "UNREACHABLE d"]);
  expect(validateFlow("f", registry)[1]!.message).toBe(
    'Step "b" of flow "f" cannot be reached from its entrypoints "e", "e2". Add a step on a path from an entrypoint to its `after`, or move it to the flow it belongs to.',
  );
});

test("every entrypoint is a starting point", () => {
  const registry = makeRegistry([
    { flow: "f", name: "web", kind: "entrypoint" },
    { flow: "f", name: "cli", kind: "entrypoint" },
    { flow: "f", name: "a", after: "web" },
    { flow: "f", name: "b", after: "cli" },
  ]);
  expect(validateFlow("f", registry)).toEqual([]);
});

test("the order of registration does not change the problems", () => {
  const steps = FIXTURES.problems!;
  expect(validateFlow("broken", makeRegistry([...steps].reverse()))).toEqual(validateFlow("broken", makeRegistry(steps)));
});

test("10,000-step chains and rings do not overflow the stack", () => {
  expect(validateFlow("long", makeRegistry(chain("long", 10_000)))).toEqual([]);
  const ring = chain("ring", 10_000).map((s) => (s.name === "s0" ? { ...s, after: "s9999" } : s));
  const problems = validateFlow("ring", makeRegistry(ring));
  expect(problems).toHaveLength(1);
  expect(problems[0]!.cycle).toHaveLength(10_000);
});

test("an unknown flow is UNKNOWN_FLOW, a bad argument INVALID_ARGUMENT", () => {
  const registry = makeRegistry(USER_UPDATE);
  expect(() => validateFlow("nope", registry)).toThrow(expect.objectContaining({ code: "UNKNOWN_FLOW" }));
  expect(() => validateFlow(42 as never, registry)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^name/) }));
  expect(() => validateFlow("user_update", {} as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^registry/) }));
});

test("names in messages are quoted as JSON strings, so quotes and newlines cannot garble them", () => {
  const registry = makeRegistry([{ flow: "f", name: 'say "hi"\nnow', kind: "entrypoint", after: "gh\"ost" }]);
  expect(validateFlow("f", registry)[0]!.message).toBe(
    'Step "say \\"hi\\"\\nnow" of flow "f" lists "gh\\"ost" in its `after`, but flow "f" has no step "gh\\"ost". Fix the name, or register that step in this flow.',
  );
});
