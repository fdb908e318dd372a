// penstock/http with a real Express 5 server, a real node:http server and real fetch on 127.0.0.1:
// one flow per request, the ID on every response, inbound IDs continued only when valid.
import express from "express";
import { createServer, IncomingMessage, ServerResponse, type Server } from "node:http";
import { Socket, type AddressInfo } from "node:net";
import { configure, currentFlowId, entrypoint, isPenstockError, loggingBackend, PenstockError } from "../../lib";
import { flowListener, flowMiddleware, withFlow } from "../../lib/http";
import { flowMixin } from "../../lib/pino";
import { resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { rawGet } from "../support/http-client";

const FRESH_ID = /^[0-9a-f]{32}$/;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const servers: Server[] = [];
let capture: CapturedLogger;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const portOf = (base: string): number => Number(new URL(base).port);

/** The app a user writes: the middleware first, a pino logger with the mixin, an entrypoint per route. */
function expressApp(options?: Parameters<typeof flowMiddleware>[0]): express.Express {
  const app = express();
  app.use(flowMiddleware(options));
  const showOrder = entrypoint("show_order", async (id: string) => {
    capture.logger.info({ order: id }, "showing order");
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { order: id, id: currentFlowId() };
  }, { flow: "orders" });
  app.get("/orders/:id", async (req, res) => {
    const before = currentFlowId();
    capture.logger.info("request in");
    res.json({ before, ...(await showOrder(req.params.id)), after: currentFlowId() });
  });
  app.post("/echo", express.json(), (req, res) => res.json({ id: currentFlowId(), body: req.body }));
  app.get("/throws", () => {
    capture.logger.info("about to throw");
    throw new Error("sync failure");
  });
  app.get("/rejects", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new Error("async failure");
  });
  app.get("/next-error", (_req, _res, next) => next(new Error("passed to next")));
  return app;
}

beforeAll(() => {
  resetPenstock();
  capture = captureLogger({ mixin: flowMixin });
  configure({ backend: loggingBackend({ logger: capture.logger }) });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("flowMiddleware with Express 5", () => {
  let base: string;
  beforeAll(async () => {
    base = await listen(createServer(expressApp()));
  });

  test("a request without inbound ID gets a fresh one: on the response header, in the handler, in the entrypoint and in the log lines", async () => {
    const response = await fetch(`${base}/orders/A-1`);
    expect(response.status).toBe(200);
    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(FRESH_ID);
    expect(await response.json()).toEqual({ before: id, order: "A-1", id, after: id });
    const lines = capture.records().filter((record) => record.correlation_id === id);
    expect(lines.map((record) => record.msg)).toEqual(["request in", "step.start", "showing order", "step.end"]);
    expect(lines.find((record) => record.msg === "request in")).not.toHaveProperty("flow");
    expect(lines.find((record) => record.msg === "showing order")).toMatchObject({ flow: "orders", order: "A-1" });
  });

  test("concurrent requests each keep their own ID across awaits", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}/orders/C-${i}`)));
    const ids = await Promise.all(
      responses.map(async (response) => {
        const body = (await response.json()) as { id: string; before: string; after: string };
        const header = response.headers.get("x-correlation-id");
        expect([body.before, body.id, body.after]).toEqual([header, header, header]);
        return header;
      }),
    );
    expect(new Set(ids).size).toBe(20);
  });

  test("a valid inbound X-Correlation-ID is continued", async () => {
    const response = await fetch(`${base}/orders/A-2`, { headers: { "X-Correlation-ID": "req-42.retry:1" } });
    expect(response.headers.get("x-correlation-id")).toBe("req-42.retry:1");
    expect(((await response.json()) as { id: string }).id).toBe("req-42.retry:1");
  });

  test("a valid W3C traceparent is continued: its trace ID becomes the flow's ID and wins over X-Correlation-ID", async () => {
    const response = await fetch(`${base}/orders/A-3`, {
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, "x-correlation-id": "other-id" },
    });
    expect(response.headers.get("x-correlation-id")).toBe(TRACE_ID);
    expect(((await response.json()) as { id: string }).id).toBe(TRACE_ID);
  });

  test("the body parser does not lose the flow: a JSON POST handler sees the header's ID", async () => {
    const response = await fetch(`${base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: 1 }) });
    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(FRESH_ID);
    expect(await response.json()).toEqual({ id, body: { a: 1 } });
  });

  test.each([
    ["a handler that throws", "/throws"],
    ["a handler that rejects", "/rejects"],
    ["an error passed to next()", "/next-error"],
    ["a route that does not exist", "/nowhere"],
  ])("%s still answers with the flow's ID", async (_label, path) => {
    const response = await fetch(`${base}${path}`, { headers: { "x-correlation-id": `err-${path.slice(1)}` } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("x-correlation-id")).toBe(`err-${path.slice(1)}`);
    await response.text();
  });

  test("the ID in a thrown handler's log line is the response's", async () => {
    const response = await fetch(`${base}/throws`);
    await response.text();
    const id = response.headers.get("x-correlation-id");
    expect(capture.records().filter((record) => record.msg === "about to throw").map((record) => record.correlation_id)).toContain(id);
  });
});

describe("inbound IDs that are not valid are replaced by a fresh ID and never echoed or logged", () => {
  let base: string;
  beforeAll(async () => {
    base = await listen(createServer(expressApp()));
  });

  const huge = "a".repeat(15 * 1024);
  // Header lines as the bytes a client may send (latin1): what fetch() would refuse to send.
  const hostile: [string, string[], string][] = [
    ["a NEL character (\\u0085)", ["X-Correlation-ID: evil\u0085id"], "evil\u0085id"],
    ["U+2028 as UTF-8 bytes", [`X-Correlation-ID: ${Buffer.from("evil\u2028id", "utf8").toString("latin1")}`], "evil"],
    ["characters above 0xFF as UTF-8 bytes", [`X-Correlation-ID: ${Buffer.from("id-\u{1F600}-\u4e2d", "utf8").toString("latin1")}`], "id-"],
    ["a 15 KB value", [`X-Correlation-ID: ${huge}`], huge.slice(0, 200)],
    ["129 valid characters", [`X-Correlation-ID: ${"b".repeat(129)}`], "b".repeat(129)],
    ["two X-Correlation-ID headers (joined as 'a, b')", ["X-Correlation-ID: dup-first", "X-Correlation-ID: dup-second"], "dup-first"],
    ["spaces, quotes and angle brackets", ['X-Correlation-ID: <script>alert("x")</script>'], "<script>"],
    ["a tab inside", ["X-Correlation-ID: tab\there"], "tab\there"],
    ["an empty value", ["X-Correlation-ID: "], "\"correlation_id\":\"\""],
    ["traceparent version ff", [`traceparent: ff-${TRACE_ID}-00f067aa0ba902b7-01`], TRACE_ID],
    ["traceparent with an all-zero trace ID", [`traceparent: 00-${"0".repeat(32)}-00f067aa0ba902b7-01`], "0".repeat(32)],
    ["traceparent with an all-zero span ID", [`traceparent: 00-${TRACE_ID}-${"0".repeat(16)}-01`], TRACE_ID],
    ["traceparent in upper case", [`traceparent: 00-${TRACE_ID.toUpperCase()}-00F067AA0BA902B7-01`], TRACE_ID.toUpperCase()],
    ["traceparent with a short trace ID", [`traceparent: 00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`], TRACE_ID.slice(1)],
    ["traceparent with a long span ID", [`traceparent: 00-${TRACE_ID}-00f067aa0ba902b7aa-01`], TRACE_ID],
    ["traceparent with one-digit flags", [`traceparent: 00-${TRACE_ID}-00f067aa0ba902b7-1`], TRACE_ID],
    ["version 00 traceparent with extra fields", [`traceparent: 00-${TRACE_ID}-00f067aa0ba902b7-01-extra`], TRACE_ID],
    ["two traceparent headers", [`traceparent: 00-${TRACE_ID}-00f067aa0ba902b7-01`, "traceparent: 00-11111111111111111111111111111111-00f067aa0ba902b7-01"], TRACE_ID],
  ];

  test.each(hostile)("%s", async (_label, headerLines, raw) => {
    const before = capture.records().length;
    const response = await rawGet(portOf(base), "/orders/H-1", headerLines);
    expect(response.status).toBe(200);
    const id = response.headers["x-correlation-id"];
    expect(id).toMatch(FRESH_ID);
    expect(response.body).not.toContain(raw);
    expect((JSON.parse(response.body) as { id: string }).id).toBe(id);
    const lines = capture.records().slice(before);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.correlation_id).toBe(id);
      expect(JSON.stringify(line)).not.toContain(raw);
    }
  });

  // CR, LF and characters above 0xFF cannot cross Node's HTTP/1 parser (it answers 400 first),
  // but do reach a middleware from other front ends (HTTP/2 bridges, in-process calls):
  // a real ServerResponse on a socket that is never connected receives the header.
  test.each([
    ["CR/LF (header injection)", "abc\r\nSet-Cookie: session=stolen"],
    ["a lone LF", "abc\ndef"],
    ["U+2028", "abc\u2028def"],
    ["a character above 0xFF", "abc\u4e2ddef"],
    ["an emoji", "abc\u{1F600}"],
    ["a NUL", "abc\u0000def"],
  ])("%s handed to the middleware directly", (_label, value) => {
    const req = new IncomingMessage(new Socket());
    req.headers = { "x-correlation-id": value };
    const res = new ServerResponse(req);
    let seen: string | undefined;
    flowMiddleware()(req, res, () => {
      seen = currentFlowId();
    });
    expect(res.getHeader("X-Correlation-ID")).toMatch(FRESH_ID);
    expect(seen).toBe(res.getHeader("X-Correlation-ID"));
  });
});

describe("options", () => {
  test("trustInbound: false ignores a valid X-Correlation-ID and traceparent", async () => {
    const base = await listen(createServer(expressApp({ trustInbound: false })));
    const response = await fetch(`${base}/orders/T-1`, {
      headers: { "x-correlation-id": "req-42", traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
    });
    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(FRESH_ID);
    expect(id).not.toBe(TRACE_ID);
    expect(((await response.json()) as { id: string }).id).toBe(id);
  });

  test("configure({ trustInbound: false }) applies to every adapter without an option of its own", async () => {
    const base = await listen(createServer(expressApp()));
    const inbound = { "x-correlation-id": "req-43", traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` };
    configure({ trustInbound: false });
    try {
      const response = await fetch(`${base}/orders/T-2`, { headers: inbound });
      const id = response.headers.get("x-correlation-id");
      expect(id).toMatch(FRESH_ID);
      expect(id).not.toBe(TRACE_ID);
      expect(((await response.json()) as { id: string }).id).toBe(id);
      const fetchStyle = await withFlow(() => new Response(currentFlowId()))(new Request("http://127.0.0.1/x", { headers: inbound }));
      expect(fetchStyle.headers.get("x-correlation-id")).toMatch(FRESH_ID);
      expect(fetchStyle.headers.get("x-correlation-id")).not.toBe("req-43");
    } finally {
      configure({ trustInbound: true });
    }
    // Trusted again: the same inbound ID is continued.
    const trusted = await fetch(`${base}/orders/T-3`, { headers: { "x-correlation-id": "req-44" } });
    expect(trusted.headers.get("x-correlation-id")).toBe("req-44");
  });

  test("correlationHeader names the header read and written", async () => {
    const base = await listen(createServer(expressApp({ correlationHeader: "X-Request-ID" })));
    const response = await fetch(`${base}/orders/R-1`, { headers: { "x-request-id": "from-proxy-7", "x-correlation-id": "ignored" } });
    expect(response.headers.get("x-request-id")).toBe("from-proxy-7");
    expect(response.headers.get("x-correlation-id")).toBeNull();
    expect(((await response.json()) as { id: string }).id).toBe("from-proxy-7");
  });

  test.each([
    ["flowMiddleware", (options: unknown) => flowMiddleware(options as never)],
    ["flowListener", (options: unknown) => flowListener(() => undefined, options as never)],
    ["withFlow", (options: unknown) => withFlow(() => new Response(), options as never)],
  ])("%s rejects bad options with INVALID_ARGUMENT naming the field", (name, make) => {
    const failure = (options: unknown): PenstockError => {
      try {
        make(options);
      } catch (error) {
        if (isPenstockError(error)) return error;
        throw error;
      }
      throw new Error("no error thrown");
    };
    expect(failure({ trustInbound: "no" })).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining(`${name}`) });
    expect(failure({ trustInbound: "no" }).message).toContain("options.trustInbound");
    expect(failure({ correlationHeader: "X Bad\r\n" }).message).toContain("options.correlationHeader");
    expect(failure({ trustinbound: false }).message).toContain('unknown option "trustinbound"');
    expect(failure("yes").message).toContain("must be an object");
  });

  test("a handler that is not a function is INVALID_ARGUMENT", () => {
    expect(() => flowListener(42 as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => withFlow(undefined as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("flowListener with node:http", () => {
  let base: string;
  beforeAll(async () => {
    const show = entrypoint("plain_show", () => currentFlowId(), { flow: "plain" });
    base = await listen(
      createServer(
        flowListener((req, res) => {
          if (req.url === "/fail") {
            res.statusCode = 503;
            res.end("down");
            return;
          }
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ id: currentFlowId(), inEntrypoint: show() }));
        }),
      ),
    );
  });

  test("each request runs in its own flow, with the ID on the response", async () => {
    const [first, second] = await Promise.all([fetch(`${base}/a`), fetch(`${base}/b`)]);
    for (const response of [first!, second!]) {
      const id = response.headers.get("x-correlation-id");
      expect(id).toMatch(FRESH_ID);
      expect(await response.json()).toEqual({ id, inEntrypoint: id });
    }
    expect(first!.headers.get("x-correlation-id")).not.toBe(second!.headers.get("x-correlation-id"));
  });

  test("an error response written by the listener carries the header; an inbound ID is continued", async () => {
    const response = await fetch(`${base}/fail`, { headers: { "x-correlation-id": "node-http-1" } });
    expect(response.status).toBe(503);
    expect(response.headers.get("x-correlation-id")).toBe("node-http-1");
    await response.text();
  });

  test("a hostile inbound ID is replaced", async () => {
    const response = await rawGet(portOf(base), "/a", ["X-Correlation-ID: x\u00ff\u0085"]);
    expect(response.headers["x-correlation-id"]).toMatch(FRESH_ID);
  });
});

describe("withFlow for fetch-style handlers", () => {
  const handler = withFlow(async (request: Request, env: { name: string }) => {
    capture.logger.info("fetch handler");
    return Response.json({ id: currentFlowId(), url: new URL(request.url).pathname, env: env.name });
  });

  test("the Response carries the ID the handler saw; extra arguments are passed through", async () => {
    const response = await handler(new Request("http://app.test/hello"), { name: "prod" });
    const id = response.headers.get("x-correlation-id");
    expect(id).toMatch(FRESH_ID);
    expect(await response.json()).toEqual({ id, url: "/hello", env: "prod" });
    expect(capture.records().filter((record) => record.msg === "fetch handler").map((record) => record.correlation_id)).toContain(id);
  });

  test("inbound IDs follow the same rules", async () => {
    const valid = await handler(new Request("http://app.test/", { headers: { "x-correlation-id": "edge-9" } }), { name: "x" });
    expect(valid.headers.get("x-correlation-id")).toBe("edge-9");
    const joined = new Headers([["x-correlation-id", "one"], ["x-correlation-id", "two"]]);
    const duplicated = await handler(new Request("http://app.test/", { headers: joined }), { name: "x" });
    expect(duplicated.headers.get("x-correlation-id")).toMatch(FRESH_ID);
    const traced = await handler(new Request("http://app.test/", { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } }), { name: "x" });
    expect(traced.headers.get("x-correlation-id")).toBe(TRACE_ID);
  });

  test("a Response with immutable headers (a redirect) is copied with the header", async () => {
    const redirect = withFlow(() => Response.redirect("http://app.test/elsewhere", 307));
    const response = await redirect(new Request("http://app.test/"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://app.test/elsewhere");
    expect(response.headers.get("x-correlation-id")).toMatch(FRESH_ID);
  });

  test("a handler that throws is rethrown unchanged (the framework makes the error response)", async () => {
    const failure = new Error("boom");
    const failing = withFlow(() => {
      throw failure;
    });
    await expect(failing(new Request("http://app.test/"))).rejects.toBe(failure);
  });

  test("served through a real server (a node:http to fetch bridge) and real fetch", async () => {
    const base = await listen(
      createServer(async (req, res) => {
        const response = await handler(new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string> }), { name: "bridge" });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => (headers[name] = value));
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      }),
    );
    const response = await fetch(`${base}/bridged`, { headers: { "x-correlation-id": "bridge-1" } });
    expect(response.headers.get("x-correlation-id")).toBe("bridge-1");
    expect(await response.json()).toEqual({ id: "bridge-1", url: "/bridged", env: "bridge" });
  });
});

describe("types", () => {
  test("an Express app is a node:http listener flowListener accepts", async () => {
    const app = express();
    app.get("/", (_req, res) => res.send(currentFlowId()));
    const base = await listen(createServer(flowListener(app)));
    const response = await fetch(base);
    expect(await response.text()).toBe(response.headers.get("x-correlation-id"));
  });
});
