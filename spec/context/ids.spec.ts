// penstock's own IDs (lib/context/ids.ts), as backends receive them in SpanInfo.
import { configure, currentFlowId, entrypoint, runInFlow, step } from "../../lib";
import { newCorrelationId, newFlatCorrelationId, newSpanId } from "../../lib/context/ids";
import { resetPenstock } from "../../lib/testing";

const HEX16 = /^[0-9a-f]{16}$/;

test("span IDs: 16 lower-case hex, never all zeros, distinct across more than one batch of 65,536", () => {
  const count = 65_536 * 2 + 1_000;
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = newSpanId();
    if (!HEX16.test(id) || id === "0000000000000000") throw new Error(`bad span ID ${JSON.stringify(id)} at ${i}`);
    ids.add(id);
  }
  expect(ids.size).toBe(count);
});

test("consecutive span IDs differ from their first character on, not only at the end", () => {
  const ids = Array.from({ length: 256 }, () => newSpanId());
  const firstHalves = new Set(ids.map((id) => id.slice(0, 8)));
  expect(firstHalves.size).toBe(256);
});

test("correlation IDs: 32 lower-case hex, distinct", () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newCorrelationId()));
  expect(ids.size).toBe(10_000);
  expect([...ids].filter((id) => !/^[0-9a-f]{32}$/.test(id))).toEqual([]);
});

test("flat correlation IDs: 32 lower-case hex, distinct, and distinct from the sliced ones drawn alongside", () => {
  const ids = new Set<string>();
  // Interleaved with the sliced kind, which draws from the same random pool.
  for (let i = 0; i < 10_000; i++) {
    ids.add(newFlatCorrelationId());
    ids.add(newCorrelationId());
  }
  expect(ids.size).toBe(20_000);
  expect([...ids].filter((id) => !/^[0-9a-f]{32}$/.test(id))).toEqual([]);
});

test("a root call under a backend that names no flows, and runInFlow, get a fresh 32-hex flow ID each", () => {
  resetPenstock();
  configure({ name: "plain", span: (_info, run) => run(), getCorrelationId: () => undefined });
  const ids = Array.from({ length: 100 }, () => entrypoint("root_id", () => currentFlowId())());
  ids.push(runInFlow({}, () => currentFlowId()));
  expect(new Set(ids).size).toBe(101);
  expect(ids.filter((id) => !/^[0-9a-f]{32}$/.test(id ?? ""))).toEqual([]);
});

test("every call a backend sees has its own span ID, and a step's parent is its caller's", () => {
  resetPenstock();
  const seen: { spanId: string; parentSpanId: string | undefined; step: string }[] = [];
  configure({ backend: { name: "ids", span: (info, run) => (seen.push({ spanId: info.spanId, parentSpanId: info.parentSpanId, step: info.step }), run()), getCorrelationId: () => undefined } });
  const inner = step("inner", () => 1, { flow: "ids" });
  const outer = entrypoint("outer", () => inner() + inner(), { flow: "ids" });
  for (let i = 0; i < 1_000; i++) outer();
  expect(new Set(seen.map(({ spanId }) => spanId)).size).toBe(3_000);
  for (let i = 0; i < seen.length; i += 3) {
    expect(seen[i]).toMatchObject({ step: "outer", parentSpanId: undefined });
    expect(seen[i + 1]!.parentSpanId).toBe(seen[i]!.spanId);
    expect(seen[i + 2]!.parentSpanId).toBe(seen[i]!.spanId);
  }
  resetPenstock();
});
