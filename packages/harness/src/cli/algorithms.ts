/** What an app tells the shared CLI about each algorithm: the spec lives in @mbrl-ts/contract. */
export { defineAlgorithm, type AgentContext, type AlgorithmSpec } from '@mbrl-ts/contract';
