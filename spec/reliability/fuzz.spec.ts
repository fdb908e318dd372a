// Fuzzing (fast-check): arbitrary names, options, after graphs and registry operations. Only
// PenstockError is ever thrown, snapshots never change, validateFlow finds every cycle.
import fc from "fast-check";
import { configure, entrypoint, flow, generateDag, getRegistry, isPenstockError, runInFlow, step, validateFlow, extractFlow, injectFlow } from "../../lib";
import { resetPenstock } from "../../lib/testing";

const SEED = 20261129;
beforeEach(() => resetPenstock());
afterAll(() => resetPenstock());

/** Runs `action`; anything thrown must be a PenstockError. */
function onlyPenstockErrors(action: () => unknown): boolean {
  try {
    action();
    return true;
  } catch (error) {
    if (isPenstockError(error)) return true;
    throw new Error(`threw something other than a PenstockError: ${String(error)}`, { cause: error });
  }
}

const names = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "__proto__", "constructor", "end", "a b", "a-b", "x\ny"), fc.anything());
const fns = fc.oneof(fc.constant(() => 1), fc.constant(async function* () {}), fc.anything());
const refs = fc.oneof(fc.string({ maxLength: 6 }), fc.anything());
const options = fc.oneof(
  fc.constant(undefined),
  fc.anything(),
  fc.record(
    {
      flow: fc.oneof(fc.string({ maxLength: 6 }), fc.anything()),
      after: fc.oneof(refs, fc.array(refs, { maxLength: 4 })),
      attributes: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.anything(), { maxKeys: 4 }), fc.constant(() => ({ a: 1 })), fc.anything()),
      unknownKey: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);

describe("wrapping and configuring with arbitrary input throws only PenstockError", () => {
  test("entrypoint, step and flow(...)", () => {
    fc.assert(
      fc.property(fc.constantFrom("entrypoint", "step", "flow"), names, fns, options, (kind, name, fn, opts) => {
        resetPenstock();
        return onlyPenstockErrors(() => {
          if (kind === "entrypoint") entrypoint(name as string, fn as never, opts as never);
          else if (kind === "step") step(name as string, fn as never, opts as never);
          else flow(name as string).step("s", fn as never, opts as never);
        });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  test("configure, runInFlow, extractFlow, injectFlow, generateDag, validateFlow", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        resetPenstock();
        const calls: (() => unknown)[] = [
          () => configure(a as never),
          () => configure({ strict: a, trustInbound: b } as never),
          () => runInFlow(a as never, () => 1),
          () => runInFlow({ correlationId: a, traceparent: b, values: [] } as never, () => 1),
          () => extractFlow(a, b as never),
          () => injectFlow(a as never, b as never),
          () => generateDag(a as never, b as never),
          () => validateFlow(a as never),
        ];
        return calls.every(onlyPenstockErrors);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("registry snapshots never change", () => {
  test("a snapshot taken between registrations keeps its content after any further ones", () => {
    const operation = fc.record({
      kind: fc.constantFrom("entrypoint", "step"),
      flow: fc.constantFrom("f1", "f2", "f3"),
      name: fc.constantFrom("a", "b", "c", "d", "e", "__proto__", "constructor"),
      after: fc.array(fc.constantFrom("a", "b", "c", "d", "e", "zz"), { maxLength: 3 }),
      snapshot: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        resetPenstock();
        const taken: [ReturnType<typeof getRegistry>, string][] = [];
        for (const op of operations) {
          onlyPenstockErrors(() => (op.kind === "entrypoint" ? entrypoint : step)(op.name, () => 1, { flow: op.flow, after: op.after }));
          if (op.snapshot) {
            const registry = getRegistry();
            taken.push([registry, JSON.stringify(registry.flows)]);
          }
        }
        onlyPenstockErrors(() => step("late", () => 1, { flow: "f1", after: ["a"] }));
        return taken.every(([registry, json]) => JSON.stringify(registry.flows) === json && Object.isFrozen(registry.flows));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("validateFlow finds every cycle it is given", () => {
  const graph = fc.record({
    // A DAG: node i may follow any lower node, so it has no cycle of its own.
    dag: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 15 }),
    // Planted cycles: their lengths (1 is a step that lists itself), and where they hang off the DAG.
    cycles: fc.array(fc.record({ length: fc.integer({ min: 1, max: 5 }), from: fc.nat() }), { maxLength: 4 }),
  });

  test("every planted cycle is reported, with exactly its steps, and no other", () => {
    fc.assert(
      fc.property(graph, ({ dag, cycles }) => {
        resetPenstock();
        const name = "fuzzed";
        dag.forEach((parents, index) => {
          const after = index === 0 ? [] : parents.map((parent) => `n${parent % index}`);
          if (index === 0) entrypoint("n0", () => 1, { flow: name });
          else step(`n${index}`, () => 1, { flow: name, after });
        });
        const planted = cycles.map(({ length, from }, k) => {
          const members = Array.from({ length }, (_, j) => `c${k}_${j}`);
          members.forEach((member, j) => {
            const previous = members[(j + members.length - 1) % members.length]!;
            // The first member also hangs off the DAG, so the cycle is reachable.
            const after = j === 0 ? [previous, `n${from % dag.length}`] : [previous];
            step(member, () => 1, { flow: name, after });
          });
          return [...members].sort().join(",");
        });
        const found = validateFlow(name)
          .filter((problem) => problem.code === "CYCLE")
          .map((problem) => [...problem.cycle!].sort().join(","));
        return JSON.stringify([...found].sort()) === JSON.stringify([...planted].sort());
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

test("found by fuzzing: runInFlow with non-iterable values (e.g. an array as options) is INVALID_ARGUMENT, not a TypeError", () => {
  for (const options of [[], { values: 42 }, { values: {} }, { values: null }]) {
    let thrown: unknown;
    try {
      runInFlow(options as never, () => 1);
    } catch (error) {
      thrown = error;
    }
    expect(isPenstockError(thrown) && thrown.code).toBe("INVALID_ARGUMENT");
  }
});
