// The request's and the response's listeners keep the flow: a body sent in chunks after the
// headers is read with req.on("data"/"end") inside the request's flow, and so are "close",
// "finish", "error" and res.end()'s callback, under flowMiddleware, flowListener and withFlow.
import express from "express";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, currentFlowId, entrypoint, loggingBackend } from "../../lib";
import { flowListener, flowMiddleware, withFlow } from "../../lib/http";
import { resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { postInChunks } from "../support/chunked-request";

const servers: Server[] = [];
async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What each listener saw, per request. */
type Seen = Record<string, string | undefined>;
let seen: Map<string, Seen>;

// An entrypoint called from a body listener joins the request's flow rather than starting one.
const handleChunk = entrypoint("handle_chunk", (chunk: string) => ({ chunk, id: currentFlowId() }), { flow: "upload" });

/** The handler a user writes: reads the body by events, answers on "end". */
function readBody(req: IncomingMessage, res: ServerResponse): void {
  const id = currentFlowId()!;
  const record: Seen = { handler: id };
  seen.set(id, record);
  const chunks: string[] = [];
  req.on("data", (chunk: Buffer) => {
    record.data = currentFlowId();
    record.entrypoint = handleChunk(chunk.toString()).id;
    chunks.push(chunk.toString());
  });
  req.once("end", () => {
    record.end = currentFlowId();
    res.on("finish", () => (record.finish = currentFlowId()));
    res.end(chunks.join(""), () => (record.endCallback = currentFlowId()));
  });
  req.on("close", () => (record.close = currentFlowId()));
  // Emitted later from outside any flow, as a socket error would be.
  req.on("error", () => (record.error = currentFlowId()));
}

beforeAll(() => {
  resetPenstock();
  configure({ backend: loggingBackend({ logger: captureLogger().logger }) });
});

beforeEach(() => {
  seen = new Map();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function expectListenersInFlow(base: string): Promise<void> {
  const response = await postInChunks(`${base}/upload`, ["one,", "two,", "three"]);
  expect(response.status).toBe(200);
  expect(response.body).toBe("one,two,three");
  const id = response.headers["x-correlation-id"] as string;
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  // "close" and "finish" may come just after the client has the response.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(seen.get(id)).toEqual({ handler: id, data: id, entrypoint: id, end: id, finish: id, endCallback: id, close: id });
}

test("flowMiddleware (Express 5): body, close, finish and end() callbacks run in the request's flow", async () => {
  const app = express();
  app.use(flowMiddleware());
  app.post("/upload", readBody);
  await expectListenersInFlow(await listen(createServer(app)));
});

test("flowListener (node:http): body, close, finish and end() callbacks run in the request's flow", async () => {
  await expectListenersInFlow(await listen(createServer(flowListener(readBody))));
});

test("50 concurrent chunked requests keep their flows apart in every listener", async () => {
  const base = await listen(createServer(flowListener(readBody)));
  const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => postInChunks(`${base}/upload`, [`a${i},`, `b${i}`], {}, 5)));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const ids = responses.map((response) => response.headers["x-correlation-id"] as string);
  expect(new Set(ids).size).toBe(50);
  responses.forEach((response, i) => expect(response.body).toBe(`a${i},b${i}`));
  for (const id of ids) expect(Object.values(seen.get(id)!).every((value) => value === id)).toBe(true);
});

test("an error emitted on the request from outside any flow reaches its listener in the flow", async () => {
  let emitLater: (() => void) | undefined;
  const base = await listen(
    createServer(
      flowListener((req, res) => {
        readBody(req, res);
        emitLater = () => req.emit("error", new Error("socket trouble"));
      }),
    ),
  );
  const response = await postInChunks(`${base}/upload`, ["x"]);
  const id = response.headers["x-correlation-id"] as string;
  // From a timer set outside any flow: the listener must still see the request's flow.
  await new Promise<void>((resolve) => setTimeout(() => (emitLater!(), resolve()), 5));
  expect(currentFlowId()).toBeUndefined();
  expect(seen.get(id)!.error).toBe(id);
});

test("removeListener and off remove a listener added in the flow (on and once), and listeners() shows the user's own function", async () => {
  const result: Record<string, unknown> = {};
  const base = await listen(
    createServer(
      flowListener((req, res) => {
        const onData = (): void => {
          result.removedOnRan = true;
        };
        const onceData = (): void => {
          result.removedOnceRan = true;
        };
        req.on("data", onData);
        req.once("data", onceData);
        result.listed = req.listeners("data").includes(onData);
        req.removeListener("data", onData);
        req.off("data", onceData);
        result.left = req.listenerCount("data");
        req.on("data", () => undefined);
        req.on("end", () => res.end("done"));
      }),
    ),
  );
  const response = await postInChunks(`${base}/upload`, ["x"]);
  expect(response.body).toBe("done");
  expect(result).toEqual({ listed: true, left: 0 });
});

test("withFlow: a body streamed in chunks is read inside the request's flow", async () => {
  const handler = withFlow(async (request) => {
    const id = currentFlowId();
    const reader = request.body!.getReader();
    const ids: (string | undefined)[] = [];
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      ids.push(currentFlowId());
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return Response.json({ same: ids.every((each) => each === id), text, inner: handleChunk(text).id === id });
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of ["a", "b", "c"]) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        controller.enqueue(encoder.encode(part));
      }
      controller.close();
    },
  });
  const response = await handler(new Request("http://localhost/upload", { method: "POST", body, duplex: "half" } as RequestInit));
  expect(await response.json()).toEqual({ same: true, text: "abc", inner: true });
});
