// A flow whose names and error carry what a terminal or a page must never run: HTML, a
// closing script tag, terminal escapes, and a 1 MB message. node hostile.mjs <out>
import pino from "pino";
import { configure, entrypoint, loggingBackend, step } from "penstock";

configure(loggingBackend({ logger: pino(pino.destination({ dest: process.argv[2], sync: true })) }));
const evil = step("</script><img src=x onerror=alert(1)>", async () => {
  throw new Error(`\u001b[31mred\u001b[0m\r\n<script>alert(2)</script>${"x".repeat(1024 * 1024)}`);
}, { flow: "hostile\u001b]0;pwned\u0007" });
const start = entrypoint("start\u202eevil", async () => evil(), { flow: "hostile\u001b]0;pwned\u0007" });
await start().catch(() => undefined);
