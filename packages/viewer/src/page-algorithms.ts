/** The algorithms the viewer page can build and load (the server refuses runs of any other). */
import { almAlgorithm, baselineAlgorithms } from '@mbrl-ts/agents';
import type { AlgorithmSpec } from '@mbrl-ts/contract';

export const PAGE_ALGORITHMS: readonly AlgorithmSpec[] = [
  ...baselineAlgorithms,
  almAlgorithm,
] as AlgorithmSpec[];
