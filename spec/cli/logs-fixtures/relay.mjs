// One flow call across two services' logs: a web entrypoint writes web.log and hands its flow on
// in a carrier; the worker continues it (extractFlow, runInFlow) and writes worker.log.
// node relay.mjs <web.log> <worker.log>; prints the correlation ID.
import pino from "pino";
import { configure, entrypoint, extractFlow, injectFlow, loggingBackend, runInFlow, step, currentFlowId } from "penstock";

const [webLog, workerLog] = process.argv.slice(2);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const validate = step("validate", async () => pause(2), { flow: "web" });
const accept = entrypoint("accept", async () => {
  await validate();
  return { id: currentFlowId(), carrier: injectFlow() };
}, { flow: "web" });
const pack = step("pack", async () => pause(3), { flow: "worker" });
const ship = step("ship", async () => { throw new Error("carrier refused the parcel"); }, { flow: "worker", after: pack });
const work = entrypoint("work", async () => {
  await pack();
  await ship();
}, { flow: "worker" });

configure(loggingBackend({ logger: pino({ name: "web" }, pino.destination({ dest: webLog, sync: true })) }));
const { id, carrier } = await accept();
await pause(5);
configure(loggingBackend({ logger: pino({ name: "worker" }, pino.destination({ dest: workerLog, sync: true })) }));
await runInFlow(extractFlow(carrier), () => work()).catch(() => undefined);
process.stdout.write(id);
