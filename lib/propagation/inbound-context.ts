// The context a propagator extracted, carried from extractFlow() to runInFlow() as it is:
// extractFlow's result holds, under a key of its own (not enumerable, so the options stay plain
// strings to anyone who reads or copies them), the RemoteParent the backend's scope read, with
// its `extracted` token. runInFlow hands that parent back to the scope, which continues the
// extracted context itself (every tracestate entry, the baggage) rather than a rebuilt parent.
import type { RemoteParent } from "../types";

const INBOUND_PARENT = Symbol.for("penstock.inboundParent");

/** `options` with `remote` attached, when there is one. */
export function withInboundParent<O extends object>(options: O, remote: RemoteParent | undefined): O {
  if (remote?.extracted !== undefined) Object.defineProperty(options, INBOUND_PARENT, { value: remote });
  return options;
}

/** `options` with the parent `from` carries (extractFlow's result), when it carries one. */
export function withInboundParentOf<O extends object>(options: O, from: object): O {
  const remote = (from as { [INBOUND_PARENT]?: RemoteParent })[INBOUND_PARENT];
  return remote === undefined ? options : withInboundParent(options, remote);
}

/** The parent extractFlow attached, when it is the trace `traceId`/`spanId` runInFlow is continuing. */
export function inboundParentOf(options: object, traceId: string, spanId: string): RemoteParent | undefined {
  try {
    const remote = (options as { [INBOUND_PARENT]?: RemoteParent })[INBOUND_PARENT];
    return remote !== undefined && remote.traceId === traceId && remote.spanId === spanId ? remote : undefined;
  } catch {
    return undefined;
  }
}
