// Not a case of the suite (run.mjs runs *.bench.mjs only): the experiment behind the otel
// figures in docs/performance.md. On Node 20, a run of one AsyncLocalStorage nested in a run
// of another costs far more than the two apart, because each store is a property of the
// current async resource keyed by the store's own symbol, read and written from the same
// code in node:async_hooks; two keys make those accesses megamorphic.
//
// The last loop is the remedy penstock uses (lib/context/frame-store.ts): B's store kept on the
// async resource under a key of its own, read and written from its own code (one createHook
// init copying it to new resources, as AsyncLocalStorage's own does), around A.
//
//   node bench/two-als.mjs     prints ns per iteration for each loop
import { AsyncLocalStorage, createHook, executionAsyncResource } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const A = new AsyncLocalStorage();
const B = new AsyncLocalStorage();
// penstock's store, reduced to what the loop needs.
const KEY = Symbol("frame");
let hooked = false;
const R = {
  run(store, fn, arg) {
    if (!hooked) {
      createHook({ init(_id, _type, _trigger, resource) { resource[KEY] = executionAsyncResource()[KEY]; } }).enable();
      hooked = true;
    }
    const resource = executionAsyncResource();
    const outer = resource[KEY];
    resource[KEY] = store;
    try {
      return fn(arg);
    } finally {
      resource[KEY] = outer;
    }
  },
};
let sink = 0;
const context = {};
const bodyA = (i) => A.run(i, () => { sink += A.getStore() + A.getStore() + A.getStore(); });
const bodyPlain = (i) => { sink += i; };
const loops = {
  "A: A.run + 3 × A.getStore": () => { for (let i = 0; i < 1e6; i++) bodyA(i); },
  "B: B.run around a plain call": () => { for (let i = 0; i < 1e6; i++) B.run(context, bodyPlain, i); },
  "B around A (two instances)": () => { for (let i = 0; i < 1e6; i++) B.run(context, bodyA, i); },
  "A around A (one instance)": () => { for (let i = 0; i < 1e6; i++) A.run(context, bodyA, i); },
  "resource store around A (penstock's remedy)": () => { for (let i = 0; i < 1e6; i++) R.run(context, bodyA, i); },
};
// Each loop runs in its own process: once two instances have been used anywhere in a process,
// every instance's accesses are slow, so loops run one after another would all measure that.
const only = process.argv[2];
if (only === undefined) {
  for (const name of Object.keys(loops)) {
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], { encoding: "utf8" }));
  }
} else {
  A.run(-1, () => {
    const loop = loops[only];
    for (let r = 0; r < 3; r++) loop();
    const started = performance.now();
    for (let r = 0; r < 5; r++) loop();
    console.log(`${only}: ${(((performance.now() - started) / 5e6) * 1e6).toFixed(1)} ns per iteration`);
  });
}
if (sink === -1) console.error("unreachable");
