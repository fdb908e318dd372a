// The smoke suite on Node, Bun or Deno: the core tests, then the HTTP tests against `flowApp`
// served by the runtime's own server (node:http, Bun.serve, Deno.serve) on a free local port.
// Prints each result and, last, the summary line that scripts/test-runtimes.mjs reads.
import { report, runTests } from "./harness.mjs";
import { coreTests, flowApp, httpTests, runtimeFeatures } from "./suite.mjs";

const runtime = globalThis.Bun ? "bun" : globalThis.Deno ? "deno" : "node";
const version = runtime === "bun" ? Bun.version : runtime === "deno" ? Deno.version.deno : process.versions.node;

/** Serves `handler` on 127.0.0.1 and a free port; returns { origin, close }. */
async function serve(handler) {
  if (runtime === "bun") {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
    return { origin: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) };
  }
  if (runtime === "deno") {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    return { origin: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
  }
  // Node has no fetch-style server: the smallest node:http adapter, as a user would write one.
  const { createServer } = await import("node:http");
  const server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const response = await handler(new Request(`http://${req.headers.host}${req.url}`, { headers }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const server = await serve(flowApp);
let summary;
try {
  const fetchFlow = (headers) => fetch(`${server.origin}/orders`, { headers });
  summary = await runTests(runtime, version, [...coreTests, ...httpTests(fetchFlow)]);
} finally {
  await server.close();
}
summary.features = await runtimeFeatures();
report(summary);
