// The record held in the AsyncLocalStorage for one flow context (internal).

export interface Frame {
  /** penstock's own correlation ID for this flow call (32 hex, or a validated inbound ID). */
  readonly correlationId: string;
  /** The flow whose entrypoint or step is running; undefined in a bare `runInFlow`. */
  readonly flow: string | undefined;
  /** The step (or entrypoint) running; undefined in a bare `runInFlow`. */
  readonly step: string | undefined;
  /** penstock's span ID for the running step, the parent of any step it calls. */
  readonly spanId: string | undefined;
  /** Flow values: shared by the steps of one entrypoint call, copied by a nested entrypoint. */
  readonly values: Map<string, unknown>;
}
