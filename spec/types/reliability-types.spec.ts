// Type-level rows of the fault matrix: wrappers and bindFlow keep the exact type of what they
// wrap (generics, overloads, `this`, async and generator functions), attributes callbacks are
// inferred from the parameters, and the new options are typed. A wrong type fails compilation
// (ts-jest type-checks this file, and `npm run typecheck` does too).
import { bindFlow, configure, entrypoint, flow, runInFlow, step, type Attributes, type ConfigureOptions } from "../../lib";
import { recordingBackend, type RecordedSpan } from "../../lib/testing";

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// Generic functions, with constraints and several type parameters.
function pick<T extends object, K extends keyof T>(value: T, key: K): T[K] {
  return value[key];
}
const wrappedPick = entrypoint("pick", pick);
type _pick = Expect<Equal<typeof wrappedPick, typeof pick>>;
const boundPick = bindFlow(pick);
type _boundPick = Expect<Equal<typeof boundPick, typeof pick>>;

// Overloads, through step and bindFlow.
function format(value: number): string;
function format(value: string, width: number): string;
function format(value: number | string, width = 0): string {
  return String(value).padStart(width);
}
const wrappedFormat = step("format", format, { flow: "pick" });
type _format = Expect<Equal<typeof wrappedFormat, typeof format>>;
type _boundFormat = Expect<Equal<ReturnType<typeof bindFlow<typeof format>>, typeof format>>;

// `this`-typed functions.
interface Counter {
  count: number;
}
function increment(this: Counter, by: number): number {
  return (this.count += by);
}
const wrappedIncrement = entrypoint("increment", increment);
type _increment = Expect<Equal<typeof wrappedIncrement, (this: Counter, by: number) => number>>;
const boundIncrement = bindFlow(increment);
type _boundIncrement = Expect<Equal<typeof boundIncrement, (this: Counter, by: number) => number>>;

// Async functions and async generator functions (generic too).
const wrappedFetch = entrypoint("fetch_rows", async (table: string, limit?: number) => [{ table, limit }]);
type _fetch = Expect<Equal<typeof wrappedFetch, (table: string, limit?: number) => Promise<{ table: string; limit: number | undefined }[]>>>;
async function* rows<T>(items: readonly T[]): AsyncGenerator<T, number, undefined> {
  for (const item of items) yield item;
  return items.length;
}
const wrappedRows = entrypoint("rows", rows);
type _rows = Expect<Equal<typeof wrappedRows, typeof rows>>;
const rowsOfStrings = flow("rows").step("rows_of_strings", rows<string>);
type _rowsOfStrings = Expect<Equal<ReturnType<typeof rowsOfStrings>, AsyncGenerator<string, number, undefined>>>;

// attributes callbacks: parameters inferred from the function, optional and rest ones included.
entrypoint("optional_params", (id: string, options?: { verbose: boolean }) => id, {
  attributes: (id, options) => {
    type _id = Expect<Equal<typeof id, string>>;
    type _options = Expect<Equal<typeof options, { verbose: boolean } | undefined>>;
    return { id, verbose: options?.verbose ?? false };
  },
});
entrypoint("rest_params", (first: number, ...rest: string[]) => first, {
  attributes: (first, ...rest) => {
    type _rest = Expect<Equal<typeof rest, string[]>>;
    return { first, rest };
  },
});
entrypoint("this_params", increment, {
  attributes: (by) => {
    type _by = Expect<Equal<typeof by, number>>;
    return { by };
  },
});
step("generator_params", rows<number>, {
  flow: "rows",
  attributes: (items) => {
    type _items = Expect<Equal<typeof items, readonly number[]>>;
    return { count: items.length };
  },
});

// New options and outcomes.
type _trust = Expect<Equal<ConfigureOptions["trustInbound"], boolean | undefined>>;
type _outcome = Expect<Equal<RecordedSpan["outcome"], "ok" | "error" | "expected" | "abandoned">>;

export function mustNotCompile(): void {
  // @ts-expect-error bindFlow takes a function
  bindFlow(42);
  // @ts-expect-error trustInbound is a boolean
  configure({ trustInbound: "no" });
  // @ts-expect-error an attributes callback returns attributes (primitives or arrays of them)
  entrypoint("bad_callback", (id: string) => id, { attributes: (id) => ({ nested: { id } }) });
  // @ts-expect-error a bound function keeps its parameter types
  boundIncrement.call({ count: 1 }, "1");
  // @ts-expect-error a wrapped overload accepts only its overloads
  wrappedFormat("x");
}

test("the typed wrappers and bound functions behave as their types say", async () => {
  configure(recordingBackend());
  const counter: Counter = { count: 1 };
  const values = runInFlow({}, () => [
    wrappedPick({ a: 1 }, "a"),
    wrappedFormat(7),
    wrappedFormat("x", 3),
    wrappedIncrement.call(counter, 2),
    boundIncrement.call(counter, 3),
    boundPick({ b: "b" }, "b"),
  ]);
  expect(values).toEqual([1, "7", "  x", 3, 6, "b"]);
  const got: string[] = [];
  const iterator = wrappedRows(["r1", "r2"]);
  let next = await iterator.next();
  while (!next.done) {
    got.push(next.value);
    next = await iterator.next();
  }
  expect([got, next.value]).toEqual([["r1", "r2"], 2]);
  const attributes: Attributes = { ok: true };
  expect(attributes.ok).toBe(true);
});
