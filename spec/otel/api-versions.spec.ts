// Auto-detection reads OpenTelemetry's ProxyTracerProvider (docs/architecture.md, "What
// penstock relies on"). Whatever shape the installed API has, a user's first traced call
// never throws for it: an API penstock cannot read counts as no SDK, and logging is used.
import type { Backend } from "../../lib";

type Api = Record<string, unknown>;

/** penstock loaded afresh with `api` as the installed @opentelemetry/api. */
function penstockWith(api: Api): typeof import("../../lib") {
  let loaded!: typeof import("../../lib");
  jest.isolateModules(() => {
    jest.doMock("../../lib/internal/require-optional", () => ({ requireOptional: () => api }));
    loaded = require("../../lib") as typeof import("../../lib");
  });
  return loaded;
}

const throwing = (): never => {
  throw new Error("not in this API version");
};

const shapes: [string, Api][] = [
  ["an API without ProxyTracerProvider", { trace: { getTracerProvider: () => ({ getDelegate: () => ({}) }) } }],
  ["an API whose getTracerProvider throws", { trace: { getTracerProvider: throwing }, ProxyTracerProvider: class {} }],
  ["an API whose provider's getDelegate throws", { trace: { getTracerProvider: () => ({ getDelegate: throwing }) }, ProxyTracerProvider: class {} }],
  ["an API whose provider has a null delegate", { trace: { getTracerProvider: () => ({ getDelegate: () => null }) }, ProxyTracerProvider: class { getDelegate() { return {}; } } }],
  ["an empty module", {}],
];

let penstock: typeof import("../../lib");
afterEach(() => {
  penstock?.configure("auto");
});

test.each(shapes)("%s: the first traced call runs and logs", (_label, api) => {
  penstock = penstockWith(api);
  const faults: unknown[] = [];
  penstock.configure({ backend: "auto", onError: (error) => faults.push(error), logger: silentLogger() });
  expect(penstock.entrypoint("first_call", (n: number) => n + 1)(1)).toBe(2);
  expect((penstock.getBackend() as Backend).name).toBe("logging");
});

function silentLogger() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require("pino") as typeof import("pino");
  return pino.default({ level: "silent" });
}
