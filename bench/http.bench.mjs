// Case "HTTP middleware": what flowMiddleware costs a minimal Express 5 route, in requests per
// second under local load (autocannon, 127.0.0.1).
//
//   node bench/http.bench.mjs [--dist dist] [--rounds 30] [--seconds 1] [--connections 10]
//
// Prints JSON for bench/run.mjs. Each server runs in a process of its own (this script, with
// --serve), so the load generator and the server being measured do not share an event loop.
// Three setups, each with a server without and a server with the middleware:
//   no-op backend:     GET / answers "ok"; penstock's own work is all that differs.
//   logging backend:   GET / also writes one pino line through a logger with flowMixin (to a
//                      destination that discards it); with the middleware that line gains
//                      correlation_id, as an application's request log would.
//   no-op, cold:       as the first, but the server without the middleware never enters a
//                      flow. In the other setups both servers open one flow at start-up, as any
//                      application using penstock does, which turns Node 20's async-context
//                      hook (penstock's frame store) on for the whole process; that switch is part of the
//                      difference.
// The two servers of a setup are loaded in alternation, round after round (the order flipped
// every round), so a busy machine slows both alike; the figure is the median of the rounds'
// ratios of request rates, with their spread.
import { fork } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dist: { type: "string" },
    baseline: { type: "string" }, // accepted for bench/run.mjs; this case has no baseline comparison
    rounds: { type: "string", default: "30" },
    seconds: { type: "string", default: "1" },
    connections: { type: "string", default: "10" },
    serve: { type: "string" },
    setup: { type: "string" },
  },
});
const dist = resolve(values.dist ?? new URL("../dist", import.meta.url).pathname);

async function serve(withMiddleware, setup) {
  const { default: express } = await import("express");
  const { default: pino } = await import("pino");
  const penstock = await import(pathToFileURL(resolve(dist, "index.js")).href);
  const { flowMiddleware } = await import(pathToFileURL(resolve(dist, "http.js")).href);
  const { flowMixin } = await import(pathToFileURL(resolve(dist, "pino.js")).href);
  const app = express();
  if (withMiddleware) app.use(flowMiddleware());
  if (setup !== "noop-cold") penstock.runInFlow({}, () => undefined);
  if (setup !== "logging") {
    penstock.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });
    app.get("/", (_req, res) => res.send("ok"));
  } else {
    const discard = { write() {} };
    const logger = pino({ mixin: flowMixin }, discard);
    penstock.configure(penstock.loggingBackend({ logger }));
    app.get("/", (req, res) => {
      logger.info({ path: req.path }, "request");
      res.send("ok");
    });
  }
  const server = app.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.on("disconnect", () => server.close(() => process.exit(0)));
}

function startServer(variant, setup) {
  const child = fork(new URL(import.meta.url).pathname, ["--serve", variant, "--setup", setup, "--dist", dist], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolvePort, reject) => {
    child.once("message", ({ port }) => resolvePort({ child, url: `http://127.0.0.1:${port}/` }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(url, seconds) {
  const { default: autocannon } = await import("autocannon");
  const result = await autocannon({ url, connections: Number(values.connections), duration: seconds });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return result.requests.total / (result.duration || seconds);
}

const sorted = (numbers) => [...numbers].sort((a, b) => a - b);
const quantile = (numbers, q) => sorted(numbers)[Math.min(numbers.length - 1, Math.floor(numbers.length * q))];
const median = (numbers) => quantile(numbers, 0.5);
const percent = (ratio) => `${((ratio - 1) * 100).toFixed(1)} %`;

async function measure() {
  const setups = [
    ["noop", "no-op backend"],
    ["logging", "logging backend, one pino line per request"],
    ["noop-cold", "no-op backend, no flow ever opened without the middleware"],
  ];
  const perRound = {};
  const summary = [];
  let plainRate;
  for (const [setup, label] of setups) {
    const plain = await startServer("plain", setup);
    const flow = await startServer("flow", setup);
    const without = `${label}: Express`;
    const withIt = `${label}: Express + flowMiddleware`;
    perRound[without] = [];
    perRound[withIt] = [];
    // Warm-up: JIT and connection setup, not measured.
    await load(plain.url, 1);
    await load(flow.url, 1);
    const ratios = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 === 0 ? [plain, flow] : [flow, plain];
      const rates = new Map();
      for (const server of order) rates.set(server, await load(server.url, Number(values.seconds)));
      perRound[without].push(rates.get(plain));
      perRound[withIt].push(rates.get(flow));
      ratios.push(rates.get(flow) / rates.get(plain));
    }
    for (const server of [plain, flow]) server.child.disconnect();
    summary.push(
      `${label}: with the middleware, ${percent(median(ratios))} requests/s (median of ${ratios.length} rounds' ratios; ` +
        `middle half of the rounds ${percent(quantile(ratios, 0.25))} to ${percent(quantile(ratios, 0.75))}, ` +
        `all rounds ${percent(Math.min(...ratios))} to ${percent(Math.max(...ratios))}).`,
    );
    if (setup === "noop") plainRate = median(perRound[without]);
  }
  // The middleware's own work, timed call by call: steadier than request rates on a busy
  // machine. A saturated single-threaded server spends about 1 / rate seconds per request, so
  // this cost times the plain server's rate is the share of its time the middleware takes.
  const cost = await middlewareCost();
  summary.push(
    `flowMiddleware's own work (no-op backend, timed in-process over a real IncomingMessage/ServerResponse pair): ` +
      `${(cost / 1000).toFixed(2)} µs per request, that is ${((cost * plainRate) / 1e7).toFixed(2)} % of the plain server's ` +
      `time per request at its ${Math.round(plainRate)} requests/s.`,
  );
  process.stdout.write(
    `${JSON.stringify({
      title: "HTTP middleware",
      description:
        `A minimal Express 5 route (\`GET /\` answering "ok"), without and with \`flowMiddleware()\`, loaded by autocannon ` +
        `(${values.connections} connections, ${values.seconds} s per round, ${values.rounds} rounds, servers in their own processes, ` +
        `loaded in alternation). Requests per second: the median over rounds.`,
      unit: "req/s",
      perRound,
      summary: summary.join("\n"),
    })}\n`,
  );
}

/** Median ns per call of flowMiddleware()(req, res, next), minus the same call of a bare middleware. */
async function middlewareCost() {
  const { Bench } = await import("tinybench");
  const { IncomingMessage, ServerResponse } = await import("node:http");
  const { Socket } = await import("node:net");
  const penstock = await import(pathToFileURL(resolve(dist, "index.js")).href);
  const { flowMiddleware } = await import(pathToFileURL(resolve(dist, "http.js")).href);
  penstock.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });
  penstock.runInFlow({}, () => undefined);
  const req = new IncomingMessage(new Socket());
  req.headers = { host: "127.0.0.1", "user-agent": "autocannon", accept: "*/*" };
  const res = new ServerResponse(req);
  const BATCH = 1_000;
  let sink = 0;
  const next = () => {
    sink++;
  };
  const bare = (_req, response, done) => {
    response.setHeader("X-Correlation-ID", "0af7651916cd43dd8448eb211c80319c");
    done();
  };
  const flow = flowMiddleware();
  const batch = (middleware) => () => {
    for (let i = 0; i < BATCH; i++) middleware(req, res, next);
  };
  const differences = [];
  for (let round = 0; round < 7; round++) {
    const bench = new Bench({ time: 200, warmupTime: 50 });
    bench.add("bare", batch(bare)).add("flow", batch(flow));
    await bench.run();
    const [plain, withFlow] = bench.tasks.map((task) => (task.result.latency.p50 * 1e6) / BATCH);
    differences.push(withFlow - plain);
  }
  if (sink === -1) console.error("unreachable");
  return median(differences);
}

if (values.serve !== undefined) await serve(values.serve === "flow", values.setup);
else await measure();
