// The two misconfigurations seen most, told apart from other bad input so the error says what
// to do: a pino logger passed where a backend or options go, and a backend factory not called.
import { PenstockError } from "../errors";

const FACTORIES = ["otelBackend", "loggingBackend", "recordingBackend", "combineBackends"];

function looksLikeLogger(value: object): boolean {
  const record = value as Record<string, unknown>;
  return typeof record.info === "function" && typeof record.child === "function" && typeof record.span !== "function";
}

/** The error for `value` when it is one of the known mistakes, else undefined. */
export function misconfiguredBackend(value: unknown, what: string): PenstockError | undefined {
  if (typeof value === "function") {
    const name = typeof value.name === "string" && value.name !== "" ? value.name : "a function";
    const known = FACTORIES.includes(name);
    return new PenstockError(
      "INVALID_BACKEND",
      `${what} is ${known ? `the function ${name} itself, not a backend: call it, ${what.startsWith("configure(options)") ? `configure({ backend: ${name}() })` : `configure(${name}())`}` : `${name}, not a backend record { span, getCorrelationId }: if it makes a backend, call it and pass the result`}.`,
    );
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && looksLikeLogger(value)) {
    return new PenstockError(
      "INVALID_BACKEND",
      `${what} is a logger, not a backend or options: pass it as configure({ logger }) (for example configure({ logger: pino() })), and penstock's step logs go to it.`,
    );
  }
  return undefined;
}
