// A fixed-size log-linear histogram of durations (the HDR layout: 32 linear sub-buckets per
// power of two), for the percentiles of flowStats. Hand-written rather than hdr-histogram-js:
// recording must cost a few nanoseconds on the call path and allocate nothing, and the layout
// here is one typed array with one index computation (docs/dag.md, "Statistics").

/** Sub-buckets per power of two: a bucket is at most 1/32 of its lower bound wide. */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
/** Below 2^10 ns (~1 µs) buckets are 32 ns wide: the range of the 2 % promise starts at 1 µs. */
const LINEAR_BITS = 10;
/** The last power of two covered: 2^42 ns is 73 minutes, past the promised hour. */
const TOP_BITS = 42;
/** 32 linear buckets below 1 µs, then 32 per power of two from 2^10 to 2^42 ns. */
export const HISTOGRAM_BUCKETS = SUB + (TOP_BITS - LINEAR_BITS) * SUB;

/** Counts by bucket, plus the exact total, sum and maximum (in nanoseconds). */
export interface Histogram {
  readonly counts: Float64Array;
  total: number;
  sum: number;
  max: number;
}

export function createHistogram(): Histogram {
  return { counts: new Float64Array(HISTOGRAM_BUCKETS), total: 0, sum: 0, max: 0 };
}

/** The bucket of `ns` nanoseconds (clamped to the last bucket past 2^42 ns). */
export function bucketOf(ns: number): number {
  if (ns < 1 << LINEAR_BITS) return ns > 0 ? (ns >>> SUB_BITS) & (SUB - 1) : 0;
  // The power of two: clz32 below 2^31 ns (2.1 s), log2 above (rare, so its cost does not matter).
  const power = ns < 2147483648 ? 31 - Math.clz32(ns) : Math.floor(Math.log2(ns));
  if (power >= TOP_BITS) return HISTOGRAM_BUCKETS - 1;
  // Below 2^31 ns an integer shift is the same floor(ns / 2^shift), without a division.
  const shift = power - SUB_BITS;
  const sub = (ns < 2147483648 ? (ns >>> 0) >>> shift : Math.floor(ns / 2 ** shift)) - SUB;
  return SUB + (power - LINEAR_BITS) * SUB + (sub < 0 ? 0 : sub > SUB - 1 ? SUB - 1 : sub);
}

/** The middle of `bucket`, in nanoseconds: within 1/64 (1.6 %) of any value in it from 1 µs. */
export function bucketMiddle(bucket: number): number {
  if (bucket < SUB) return bucket * SUB + SUB / 2;
  const power = Math.floor((bucket - SUB) / SUB) + LINEAR_BITS;
  const width = 2 ** (power - SUB_BITS);
  return (SUB + ((bucket - SUB) % SUB)) * width + width / 2;
}

/** Records `weight` calls of `ns` nanoseconds (a sampled call stands for `weight` calls). */
export function recordDuration(histogram: Histogram, ns: number, weight: number): void {
  histogram.counts[bucketOf(ns)]! += weight;
  histogram.total += weight;
  histogram.sum += ns * weight;
  if (ns > histogram.max) histogram.max = ns;
}

/** The `q` quantile (0 < q ≤ 1) in nanoseconds, never above the maximum; 0 when empty. */
export function quantile(histogram: Histogram, q: number): number {
  if (histogram.total === 0) return 0;
  const rank = q * histogram.total;
  let seen = 0;
  const { counts } = histogram;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    seen += counts[bucket]!;
    if (seen >= rank && counts[bucket]! > 0) return Math.min(bucketMiddle(bucket), histogram.max);
  }
  return histogram.max;
}
