// Test support: waits until at least `ms` of real time (performance.now()) has passed.
// setTimeout alone does not promise that: Node starts a timer from the event loop's cached
// time, which lags real time when the loop iteration ran long (a loaded machine, a GC pause),
// so a `setTimeout(resolve, 1)` can resolve 0.07 ms later. A test that asserts a measured
// duration waits with this instead.
export async function waitAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  do await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(until - performance.now()))));
  while (performance.now() < until);
}
