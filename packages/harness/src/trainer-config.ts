/** The loop's own settings, shared by every algorithm (ALM paper defaults where it gives them). */
import type { ConfigOf, Schema } from './config';

export const trainerSchema = {
  totalSteps: { kind: 'int', default: 200_000, min: 1, doc: 'environment steps (Table 1 reports 200k)' },
  warmupSteps: {
    kind: 'int',
    default: 5_000,
    min: 0,
    doc: 'random-action steps before learning (ALM Table 3)',
  },
  updatesPerStep: {
    kind: 'int',
    default: 1,
    min: 0,
    doc: 'gradient updates per environment step (update-to-data ratio)',
  },
  evalEvery: { kind: 'int', default: 5_000, min: 1, doc: 'environment steps between evaluations' },
  evalEpisodes: { kind: 'int', default: 10, min: 1, doc: 'deterministic-policy episodes per evaluation' },
  checkpointEvery: { kind: 'int', default: 10_000, min: 1, doc: 'environment steps between checkpoints' },
  keepCheckpoints: { kind: 'int', default: 2, min: 1, doc: 'newest checkpoints kept on disk' },
  logEvery: {
    kind: 'int',
    default: 1_000,
    min: 1,
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
