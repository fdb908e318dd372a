import { settle, type SpanOutcome } from "../../lib";

test("a plain value ends at once and is returned as is", () => {
  const outcomes: SpanOutcome[] = [];
  const value = { v: 1 };
  expect(settle(value, (o) => outcomes.push(o))).toBe(value);
  expect(outcomes).toEqual([{ ok: true }]);
});

test("a promise ends when it fulfils and settles the same way", async () => {
  const outcomes: SpanOutcome[] = [];
  const derived = settle(Promise.resolve(5), (o) => outcomes.push(o));
  expect(outcomes).toEqual([]);
  await expect(derived).resolves.toBe(5);
  expect(outcomes).toEqual([{ ok: true }]);
});

test("a rejection ends with the error and rejects with the same value", async () => {
  const outcomes: SpanOutcome[] = [];
  const boom = new Error("boom");
  await expect(settle(Promise.reject(boom), (o) => outcomes.push(o))).rejects.toBe(boom);
  expect(outcomes).toEqual([{ ok: false, error: boom }]);
});

test("a custom thenable is followed through its then, called once", async () => {
  let thenCalls = 0;
  const thenable = {
    then(resolve: (v: string) => void) {
      thenCalls++;
      resolve("from thenable");
    },
  };
  const outcomes: SpanOutcome[] = [];
  await expect(settle(thenable, (o) => outcomes.push(o))).resolves.toBe("from thenable");
  expect(thenCalls).toBe(1);
  expect(outcomes).toEqual([{ ok: true }]);
});
