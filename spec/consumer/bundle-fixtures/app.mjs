// An application written with `import`, bundled with esbuild (spec/consumer/bundle.spec.ts):
// a flow traced by penstock's default logger, its DAG, and the summary as the last stdout line.
import { entrypoint, generateDag, getBackend, step } from "penstock";

const validate = step("validate", (order) => order.total > 0, { flow: "checkout", after: "receive" });
const receive = entrypoint("receive", (order) => (validate(order) ? "accepted" : "rejected"), { flow: "checkout" });

const results = [receive({ total: 5 }), receive({ total: 0 })];
// No top-level await: the same source bundles to CommonJS too.
void Promise.resolve(getBackend().flush?.()).then(() => {
  process.stdout.write(`${JSON.stringify({ summary: true, results, backend: getBackend().name, dag: generateDag("checkout") })}\n`);
});
