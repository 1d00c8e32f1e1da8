/** Process entry of mbrl-repro: run the CLI, then exit with its code. */
import { runMain } from '@mbrl-ts/harness';
import { runRepro } from './cli';

await runMain((argv) => runRepro(argv, { handleSignals: true }));
