import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/** A progress bar on stderr for long work; silent when stderr is not a terminal or output is JSON. */
export function progressBar(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || !process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (by = 1) => bar.increment(by), stop: () => bar.stop() };
}
