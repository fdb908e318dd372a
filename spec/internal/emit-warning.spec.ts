// Where the runtime has no process.emitWarning (Cloudflare Workers at some compatibility dates),
// a backend fault is still reported once, as one console.warn line, and the call is unchanged.
import { configure, entrypoint } from "../../lib/index";
import { resetPenstock } from "../../lib/testing";

const original = process.emitWarning;

beforeEach(() => resetPenstock());
afterEach(() => {
  process.emitWarning = original;
  jest.restoreAllMocks();
});

test("without process.emitWarning a fault becomes one console.warn line with its code", () => {
  (process as { emitWarning?: unknown }).emitWarning = undefined;
  const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  configure({ name: "broken", span: () => { throw new Error("backend down"); }, getCorrelationId: () => undefined });
  const double = entrypoint("double", (n: number) => n * 2, { flow: "no_emit_warning" });

  expect([double(2), double(3)]).toEqual([4, 6]);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]![0]).toMatch(/^\(PENSTOCK_BACKEND_FAULT\) Warning: penstock: a tracing fault while tracing no_emit_warning\/double: threw from span\(\): backend down\./);
});

test("with process.emitWarning the fault goes there, with its code", () => {
  const emit = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
  const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  configure({ name: "broken", span: () => { throw new Error("backend down"); }, getCorrelationId: () => undefined });
  const double = entrypoint("double", (n: number) => n * 2, { flow: "with_emit_warning" });

  expect(double(5)).toBe(10);
  expect(emit).toHaveBeenCalledWith(expect.stringContaining("threw from span(): backend down"), { code: "PENSTOCK_BACKEND_FAULT" });
  expect(warn).not.toHaveBeenCalled();
});
