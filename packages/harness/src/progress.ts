/**
 * Training progress for people: on a terminal, one line redrawn in place (bar, steps/s, ETA, last
 * evaluation return); elsewhere (CI logs, pipes, files) a plain line every `plainEverySeconds`.
 */
export interface ProgressOptions {
  readonly totalSteps: number;
  readonly stream?: NodeJS.WriteStream;
  /** Force plain lines even on a TTY. */
  readonly plain?: boolean;
  readonly plainEverySeconds?: number;
  /** Injected clock in milliseconds, for tests. */
  readonly now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly plainEveryMs: number;
  private startTime: number;
  private startStep = 0;
  private lastPrint = -Infinity;
  private lastEval: number | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stdout;
    this.tty = !options.plain && Boolean(this.stream.isTTY);
    this.now = options.now ?? Date.now;
    this.plainEveryMs = (options.plainEverySeconds ?? 30) * 1000;
    this.startTime = this.now();
  }

  /** Where timing starts (a resumed run starts counting speed from its checkpoint step). */
  start(step: number): void {
    this.startStep = step;
    this.startTime = this.now();
  }

  evaluation(returnMean: number): void {
    this.lastEval = returnMean;
  }

  line(step: number): string {
    const elapsed = (this.now() - this.startTime) / 1000;
    const rate = elapsed > 0 ? (step - this.startStep) / elapsed : 0;
    const eta = rate > 0 ? (this.options.totalSteps - step) / rate : NaN;
    const pct = (100 * step) / this.options.totalSteps;
    const ev = this.lastEval === undefined ? '' : `  eval ${this.lastEval.toFixed(1)}`;
    return `step ${step}/${this.options.totalSteps} (${pct.toFixed(1)}%)  ${rate.toFixed(1)} steps/s  ETA ${formatDuration(eta)}${ev}`;
  }

  update(step: number, force = false): void {
    const t = this.now();
    if (this.tty) {
      if (!force && t - this.lastPrint < 200) return;
      const width = 24;
      const filled = Math.round((width * step) / this.options.totalSteps);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line(step)}\x1b[K`);
    } else {
      if (!force && t - this.lastPrint < this.plainEveryMs) return;
      this.stream.write(this.line(step) + '\n');
    }
    this.lastPrint = t;
  }

  /** A message on its own line (an evaluation result, a checkpoint), not overwritten by the bar. */
  message(text: string): void {
    this.stream.write(this.tty ? `\r${text}\x1b[K\n` : text + '\n');
  }

  finish(step: number): void {
    this.update(step, true);
    if (this.tty) this.stream.write('\n');
  }
}
