// Test support: every test of the enclosing block (or file) runs on a fresh penstock under
// configure("otel") with a real SDK started for it and shut down after it.
import { configure } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "./otel-sdk";

/** Registers the hooks; the handle it returns reaches the running test's SDK. */
export function useOtelSdk(): OtelSdk {
  let current: OtelSdk | undefined;
  beforeEach(() => {
    resetPenstock();
    current = startOtelSdk();
    configure("otel");
  });
  afterEach(async () => {
    await current?.shutdown();
    current = undefined;
  });
  const running = (): OtelSdk => {
    if (current === undefined) throw new Error("useOtelSdk(): the SDK exists only while a test runs");
    return current;
  };
  return {
    get exporter() {
      return running().exporter;
    },
    get provider() {
      return running().provider;
    },
    spans: () => running().spans(),
    span: (name) => running().span(name),
    shutdown: () => running().shutdown(),
  };
}
