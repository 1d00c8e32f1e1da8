/** Process entry of mbrl-baselines: run the CLI, then exit with its code. */
import { runMain } from '@mbrl-ts/harness';
import { runBaselines } from './cli';

await runMain((argv) => runBaselines(argv));
