// The duration histogram's bucket index (lib/observations/histogram.ts, `bucketOf`), computed on
// every timed call: the integer-shift form penstock uses against the division form it replaced
// (`Math.floor(ns / 2 ** shift)`, before c801eaf), over 4,096 durations from 1 µs to 100 ms, in
// alternating rounds. Both forms give the same bucket for every duration below 2^31 ns (the
// shift applies only there). Not a bench/run.mjs case: a record of that change.
//
//   node bench/histogram-bucket.mjs
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const LINEAR_BITS = 10;
const TOP_BITS = 42;
const BUCKETS = SUB + (TOP_BITS - LINEAR_BITS) * SUB;

function byShift(ns) {
  if (ns < 1 << LINEAR_BITS) return ns > 0 ? (ns >>> SUB_BITS) & (SUB - 1) : 0;
  const power = ns < 2147483648 ? 31 - Math.clz32(ns) : Math.floor(Math.log2(ns));
  if (power >= TOP_BITS) return BUCKETS - 1;
  const shift = power - SUB_BITS;
  const sub = (ns < 2147483648 ? (ns >>> 0) >>> shift : Math.floor(ns / 2 ** shift)) - SUB;
  return SUB + (power - LINEAR_BITS) * SUB + (sub < 0 ? 0 : sub > SUB - 1 ? SUB - 1 : sub);
}
function byDivision(ns) {
  if (ns < 1 << LINEAR_BITS) return ns > 0 ? (ns >>> SUB_BITS) & (SUB - 1) : 0;
  const power = ns < 2147483648 ? 31 - Math.clz32(ns) : Math.floor(Math.log2(ns));
  if (power >= TOP_BITS) return BUCKETS - 1;
  const shift = power - SUB_BITS;
  const sub = Math.floor(ns / 2 ** shift) - SUB;
  return SUB + (power - LINEAR_BITS) * SUB + (sub < 0 ? 0 : sub > SUB - 1 ? SUB - 1 : sub);
}
const forms = { shift: byShift, division: byDivision };
const durations = Float64Array.from({ length: 4096 }, () => 1000 * Math.exp(Math.random() * Math.log(1e5)));
for (const ns of durations) if (forms.shift(ns) !== forms.division(ns)) throw new Error(`the forms differ at ${ns} ns`);

const REPEAT = 2000;
const time = (form) => {
  let sum = 0;
  const started = process.hrtime.bigint();
  for (let r = 0; r < REPEAT; r++) for (let i = 0; i < durations.length; i++) sum += form(durations[i]);
  if (sum < 0) throw new Error("unreachable");
  return Number(process.hrtime.bigint() - started) / (REPEAT * durations.length);
};
const times = { shift: [], division: [] };
for (let round = 0; round < 9; round++) {
  for (const name of round % 2 === 0 ? ["shift", "division"] : ["division", "shift"]) times[name].push(time(forms[name]));
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`Node ${process.version}: shift ${median(times.shift).toFixed(1)} ns, division ${median(times.division).toFixed(1)} ns per bucket`);
