/** The alm command line: the shared harness CLI with ALM as its one (default) algorithm. */
import { readFileSync } from 'node:fs';
import { almAlgorithm } from '@mbrl-ts/agents';
import { runCli, type CliOptions } from '@mbrl-ts/harness';

/** The package's version (package.json sits one level above src/ and dist/ alike). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function almCliOptions(overrides: Partial<CliOptions> = {}): CliOptions {
  return {
    name: 'alm',
    description:
      'Train and evaluate Aligned Latent Models (ALM) on mbrl-ts tasks. Settings: --preset paper|quick, --config file.json, --set key=value.',
    version: VERSION,
    algorithms: [almAlgorithm],
    defaultAlgo: 'alm',
    ...overrides,
  };
}

/** Run the CLI on `argv` (without node and script); resolves to the exit code. */
export function runAlm(argv: readonly string[], overrides: Partial<CliOptions> = {}): Promise<number> {
  return runCli(almCliOptions(overrides), argv);
}
