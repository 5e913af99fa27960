/**
 * Exit codes: 0 ok, 1 a negative answer (a signature that does not verify, a hit, a status not
 * reached), 2 usage, input or missing configuration, 3 failure (unreachable, 5xx, a crash),
 * 4 the API refused the request (its 4xx answer: 401, 403, 404, 409, 422, ...).
 */
export const EXIT = { ok: 0, negative: 1, usage: 2, failure: 3, refused: 4 } as const;

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
