// How the `penstock` command ends: its exit codes, and the error that carries one.

/** The exit codes of `penstock`, documented in docs/cli.md and `--help`. */
export const EXIT = {
  /** Done: the drawing was printed or written, the file is current, or no flow has problems. */
  ok: 0,
  /** Done, and the answer is no: `dag --check` found the file stale, `check` found problems. */
  failed: 1,
  /** Could not run: bad arguments, or a module, a flow or an optional package could not be loaded. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A problem the command reports in one message and an exit code, never with a stack trace.
 * `showUsage` adds a pointer to `--help` (for mistakes in the arguments themselves).
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly showUsage: boolean;

  constructor(message: string, options: { exitCode?: ExitCode; showUsage?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.showUsage = options.showUsage ?? false;
  }
}

/** A mistake in the arguments: reported in one line with a pointer to --help, exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, { showUsage: true });
}
