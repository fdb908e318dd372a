// Test support: a POST whose body is sent in chunks, each after a pause, once the headers are
// out: the server reads it with req.on("data") / req.on("end") well after the request began.
import { request } from "node:http";

export interface ChunkedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function postInChunks(url: string, chunks: readonly string[], headers: Record<string, string> = {}, gapMs = 15): Promise<ChunkedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "text/plain", ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.flushHeaders();
    void (async () => {
      for (const chunk of chunks) {
        await pause(gapMs);
        req.write(chunk);
      }
      await pause(gapMs);
      req.end();
    })();
  });
}
