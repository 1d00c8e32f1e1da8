/** Process entry of alm: run the CLI, then exit with its code. */
import { runAlm } from './cli';

const code = await runAlm(process.argv.slice(2));
process.exitCode = code;
