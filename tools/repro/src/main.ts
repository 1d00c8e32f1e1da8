/** Process entry of mbrl-repro: run the CLI, then exit with its code. */
import { runRepro } from './cli';

process.exitCode = await runRepro(process.argv.slice(2), { handleSignals: true });
