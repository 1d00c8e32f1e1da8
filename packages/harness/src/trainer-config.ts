/**
 * The loop's own settings, shared by every algorithm (ALM paper defaults where it gives them). The
 * upper bounds are sanity limits: far above any run the paper reports (1M steps for Humanoid), low
 * enough that a typo (an extra zero run, an exponent) is refused at the edge instead of starting a
 * run that cannot end.
 */
import type { ConfigOf, Schema } from './config';

/** The most environment steps a run, a warm-up or a cadence may have. */
export const MAX_STEPS = 100_000_000;

export const trainerSchema = {
  totalSteps: {
    kind: 'int',
    default: 200_000,
    min: 1,
    max: MAX_STEPS,
    doc: 'environment steps (Table 1 reports 200k)',
  },
  warmupSteps: {
    kind: 'int',
    default: 5_000,
    min: 0,
    max: MAX_STEPS,
    doc: 'random-action steps before learning (ALM Table 3)',
  },
  updatesPerStep: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 1_000,
    doc: 'gradient updates per environment step (update-to-data ratio)',
  },
  evalEvery: {
    kind: 'int',
    default: 5_000,
    min: 1,
    max: MAX_STEPS,
    doc: 'environment steps between evaluations',
  },
  evalEpisodes: {
    kind: 'int',
    default: 10,
    min: 1,
    max: 1_000,
    doc: 'deterministic-policy episodes per evaluation',
  },
  checkpointEvery: {
    kind: 'int',
    default: 10_000,
    min: 1,
    max: MAX_STEPS,
    doc: 'environment steps between checkpoints',
  },
  keepCheckpoints: { kind: 'int', default: 2, min: 1, max: 100, doc: 'newest checkpoints kept on disk' },
  logEvery: {
    kind: 'int',
    default: 1_000,
    min: 1,
    max: MAX_STEPS,
    doc: 'environment steps between metric log lines (means over the window)',
  },
  seed: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 0xffffffff,
    doc: 'the one seed every random stream of the run derives from',
  },
  precision: {
    kind: 'enum',
    values: ['fp32', 'bf16', 'bf16-rounded'],
    default: 'fp32',
    doc:
      "the matrix products' operands: fp32; bf16 (mixed precision: operands rounded to bf16, f32 " +
      'accumulation and output, everything else f32; needs the native kernels on a CPU with ' +
      "oneDNN's bf16 kernels); bf16-rounded (bf16's numbers on the f32 kernels, any CPU)",
  },
} as const satisfies Schema;

export type TrainerConfig = ConfigOf<typeof trainerSchema>;

/**
 * The loop settings a resume may change (with --set; the length with --steps): they change when
 * evaluations, log lines and checkpoints happen, not what the agent learns from. Every change is
 * recorded in config.json with the step it took effect at. Any other setting is fixed at creation.
 */
export const RESUMABLE_SETTINGS = ['evalEvery', 'evalEpisodes', 'logEvery', 'checkpointEvery'] as const;
