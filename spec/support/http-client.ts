// Test support: an HTTP/1.1 request written byte for byte on a socket, for inbound headers that
// fetch() refuses to send (bytes above 0x7f, duplicates, huge values) but a client may.
import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined by ", ". */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** GET `path` with the given header lines (each `name: value`, as latin1 bytes), Connection: close. */
export function rawGet(port: number, path: string, headerLines: readonly string[]): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const chunks: Buffer[] = [];
    socket.on("connect", () => {
      const head = [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", ...headerLines, "", ""].join("\r\n");
      socket.write(Buffer.from(head, "latin1"));
    });
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}
