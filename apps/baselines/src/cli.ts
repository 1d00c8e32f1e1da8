/** The mbrl-baselines command line: the shared harness CLI with the agents package's baseline algorithms. */
import { readFileSync } from 'node:fs';
import { baselineAlgorithms } from '@mbrl-ts/agents';
import { runCli, type CliOptions } from '@mbrl-ts/harness';

/** The package's version (package.json sits one level above src/ and dist/ alike). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function baselinesCliOptions(overrides: Partial<CliOptions> = {}): CliOptions {
  return {
    name: 'mbrl-baselines',
    description: `Train and evaluate the baselines of the ALM paper (${baselineAlgorithms.map((a) => a.name).join(', ')}) on mbrl-ts tasks.`,
    version: VERSION,
    algorithms: baselineAlgorithms,
    ...overrides,
  };
}

/** Run the CLI on `argv` (without node and script); resolves to the exit code. */
export function runBaselines(argv: readonly string[], overrides: Partial<CliOptions> = {}): Promise<number> {
  return runCli(baselinesCliOptions(overrides), argv);
}
