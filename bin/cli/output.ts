/** Exit codes: 0 ok, 1 a negative answer (e.g. a signature that does not verify), 2 usage or input error, 3 failure. */
export const EXIT = { ok: 0, negative: 1, usage: 2, failure: 3 } as const;

/** An error the CLI reports as one line, without a stack, and exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** Prints machine output (`--json`) or the human rendering. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value) : human()}\n`);
}
