/**
 * Training progress for people: on a terminal, one line redrawn in place (phase, bar, steps/s, ETA,
 * last evaluation return, the latest logged losses); elsewhere (CI logs, pipes, files) a plain line
 * every `plainEverySeconds`.
 *
 * The rate is the recent one (the last `rateWindowSeconds` of the current phase, or three times its
 * longest step when that is longer: a periodic stall such as MBPO's model retraining is averaged
 * over whole periods), so the ETA of a run follows its training speed, not an average over a
 * warm-up that runs hundreds of times faster.
 * During the warm-up the line says when the warm-up ends; the training ETA comes once training has
 * run long enough to be measured. An evaluation is a phase of its own: it prints an `evaluating`
 * line when it starts, its time is left out of the training rate (the clock of the rate window
 * stops while it runs), and the ETA adds the evaluations still to come at the last one's duration.
 */
export interface ProgressOptions {
  readonly totalSteps: number;
  /** Random-action steps before learning: the warm-up phase (default 0: training from the start). */
  readonly warmupSteps?: number;
  /** Steps between evaluations (and one at the last step), for the evaluations' share of the ETA. */
  readonly evalEvery?: number;
  /** Seconds of the current phase the rate is measured over (default 60). */
  readonly rateWindowSeconds?: number;
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

/** Samples closer together than this are not kept (update runs once per environment step). */
const SAMPLE_MS = 250;

/** What the run is doing: random-action warm-up, training (acting and updating), or evaluating. */
export type ProgressPhase = 'warm-up' | 'training' | 'evaluating';

/** A loss for the bar: 4 significant digits, exponent form when tiny or huge. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5)
    ? value.toExponential(2)
    : Number(value.toPrecision(4)).toString();
}

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly plainEveryMs: number;
  private readonly windowMs: number;
  /** (time, step) samples of the current phase, oldest first, at least SAMPLE_MS apart, spanning
      about the rate window; `latest` is the newest position. */
  private samples: Array<{ t: number; step: number }> = [];
  /** The longest time one update took in the current phase: the window spans at least 3 of them. */
  private longestStepMs = 0;
  private latest: { t: number; step: number } | undefined;
  private phaseNow: ProgressPhase | undefined;
  private lastPrint = -Infinity;
  private lastEval: number | undefined;
  private losses: Array<[string, number]> = [];
  /** When the evaluation under way started (undefined outside one). */
  private evaluatingSince: { t: number; step: number; episodes: number } | undefined;
  /** Seconds the last evaluation took. */
  private lastEvalSeconds: number | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stdout;
    this.tty = !options.plain && Boolean(this.stream.isTTY);
    this.now = options.now ?? Date.now;
    this.plainEveryMs = (options.plainEverySeconds ?? 30) * 1000;
    this.windowMs = (options.rateWindowSeconds ?? 60) * 1000;
  }

  /** Where timing starts (a resumed run starts counting speed from its checkpoint step). */
  start(step: number): void {
    this.phaseNow = this.phaseAt(step + 1); // the phase of the step about to run
    this.latest = { t: this.now(), step };
    this.samples = [this.latest];
  }

  /** An evaluation of `episodes` episodes starts at `step`: say so now (it may take minutes). */
  startEvaluation(step: number, episodes: number): void {
    this.evaluatingSince = { t: this.now(), step, episodes };
    this.print(step, true);
  }

  /** The evaluation ended with this mean return; its time leaves the training rate's window. */
  evaluation(returnMean: number): void {
    this.lastEval = returnMean;
    const since = this.evaluatingSince;
    if (since === undefined) return;
    const elapsed = this.now() - since.t;
    this.lastEvalSeconds = elapsed / 1000;
    for (const sample of this.samples) sample.t += elapsed;
    if (this.latest !== undefined && !this.samples.includes(this.latest)) this.latest.t += elapsed;
    this.evaluatingSince = undefined;
  }

  /** The latest logged means; the bar shows the first two losses among them. */
  metrics(means: Readonly<Record<string, number>>): void {
    this.losses = Object.entries(means)
      .filter(([name]) => name.includes('loss'))
      .slice(0, 2);
  }

  phaseAt(step: number): ProgressPhase {
    return step <= (this.options.warmupSteps ?? 0) ? 'warm-up' : 'training';
  }

  /** Steps per second over the recent window of the current phase (0 before two samples). */
  rate(): number {
    const first = this.samples[0];
    const last = this.latest;
    if (first === undefined || last === undefined || last.t <= first.t) return 0;
    return ((last.step - first.step) * 1000) / (last.t - first.t);
  }

  /** Evaluations after `step` until the end: one every evalEvery steps and one at the last step. */
  private evaluationsAfter(step: number): number {
    const every = this.options.evalEvery;
    const total = this.options.totalSteps;
    if (every === undefined || step >= total) return 0;
    const regular = Math.floor(total / every) - Math.floor(step / every);
    return regular + (total % every === 0 ? 0 : 1);
  }

  line(step: number): string {
    const total = this.options.totalSteps;
    const pct = (100 * step) / total;
    const ev = this.lastEval === undefined ? '' : `  eval ${this.lastEval.toFixed(1)}`;
    const losses = this.losses.map(([name, value]) => `  ${name} ${formatNumber(value)}`).join('');
    if (this.evaluatingSince !== undefined) {
      const { episodes } = this.evaluatingSince;
      const last =
        this.lastEvalSeconds === undefined ? '' : ` (the last took ${formatDuration(this.lastEvalSeconds)})`;
      return `evaluating step ${step}/${total} (${pct.toFixed(1)}%)  ${episodes} episode${episodes === 1 ? '' : 's'}${last}${ev}${losses}`;
    }
    const phase = this.phaseAt(step);
    const rate = this.rate();
    const warmupEnd = Math.min(this.options.warmupSteps ?? 0, total);
    const evaluating = this.evaluationsAfter(step) * (this.lastEvalSeconds ?? 0);
    const eta = phase === 'training' && rate > 0 ? formatDuration((total - step) / rate + evaluating) : '--';
    const warmup =
      phase === 'warm-up' && rate > 0 ? `  warm-up ends in ${formatDuration((warmupEnd - step) / rate)}` : '';
    return `${phase} step ${step}/${total} (${pct.toFixed(1)}%)  ${rate.toFixed(1)} steps/s  ETA ${eta}${warmup}${ev}${losses}`;
  }

  /** Record where the run is (a new phase starts its own rate window). */
  private sample(step: number, t: number): void {
    const phase = this.phaseAt(step);
    if (phase !== this.phaseNow) {
      // The phase changed between samples: its rate starts here.
      this.phaseNow = phase;
      this.samples = [];
      this.longestStepMs = 0;
    } else if (this.latest !== undefined) {
      this.longestStepMs = Math.max(this.longestStepMs, t - this.latest.t);
    }
    this.latest = { t, step };
    const newest = this.samples[this.samples.length - 1];
    if (newest === undefined || t - newest.t >= SAMPLE_MS) this.samples.push(this.latest);
    // A step that stalls now and then (MBPO's model retraining every 250 steps) widens the window to
    // three of it, so the rate is the mean over whole periods, not the stall alone.
    const windowMs = Math.max(this.windowMs, 3 * this.longestStepMs);
    while (this.samples.length > 1 && t - this.samples[1].t >= windowMs) this.samples.shift();
  }

  update(step: number, force = false): void {
    this.sample(step, this.now());
    this.print(step, force);
  }

  private print(step: number, force: boolean): void {
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
