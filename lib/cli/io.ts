// Where the command writes: data to stdout, messages to stderr, paths relative to cwd.

export interface CliIO {
  readonly cwd: string;
  /** The command's output: a drawing, a diff, the check report. */
  out(text: string): void;
  /** Messages about what happened. */
  err(text: string): void;
}
