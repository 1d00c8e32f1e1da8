/** The agent contract lives in @mbrl-ts/contract (below the agents); the loop imports it from here. */
export type { ActContext, Agent, UpdateMetrics } from '@mbrl-ts/contract';
