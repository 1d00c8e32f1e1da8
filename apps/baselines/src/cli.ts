/** The mbrl-baselines command line: the shared harness CLI with the SAC and TD3 algorithms. */
import { baselineAlgorithms } from '@mbrl-ts/agents';
import { runCli, type CliOptions } from '@mbrl-ts/harness';

export const VERSION = '0.1.0';

export function baselinesCliOptions(overrides: Partial<CliOptions> = {}): CliOptions {
  return {
    name: 'mbrl-baselines',
    description: 'Train and evaluate model-free baselines (SAC, TD3) on mbrl-ts tasks.',
    version: VERSION,
    algorithms: baselineAlgorithms,
    ...overrides,
  };
}

/** Run the CLI on `argv` (without node and script); resolves to the exit code. */
export function runBaselines(argv: readonly string[], overrides: Partial<CliOptions> = {}): Promise<number> {
  return runCli(baselinesCliOptions(overrides), argv);
}
