// Failures of the smoke suite caused by a runtime's own bug, by runtime and test name, each with
// the runtime's issue. Listed here they count as "known", apart from passed and failed
// (docs/runtimes.md). Remove an entry when the pinned runtime fixes it: the test then counts as
// passed again, and an entry whose test passes is reported by the runner.
export const KNOWN_BUGS = {
  node: {},
  bun: {},
  deno: {},
  workerd: {},
};
