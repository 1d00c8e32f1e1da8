/** Process entry of mbrl-baselines: run the CLI, then exit with its code. */
import { runBaselines } from './cli';

const code = await runBaselines(process.argv.slice(2));
process.exitCode = code;
