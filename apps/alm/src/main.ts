/** Process entry of alm: run the CLI, then exit with its code. */
import { runMain } from '@mbrl-ts/harness';
import { runAlm } from './cli';

await runMain((argv) => runAlm(argv));
