import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long work; silent when stderr is not a terminal or output is JSON.
 * `unit` names what it counts, so the bar and the command's summary speak of the same things.
 */
export function progressBar(label: string, total: number, options: { quiet?: boolean; unit?: string } = {}): Progress {
  if (options.quiet || !process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const unit = options.unit ? ` ${options.unit}` : '';
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total}${unit} eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (by = 1) => bar.increment(by), stop: () => bar.stop() };
}
