/**
 * What every command line's process entry does around its CLI: a reader that stops early
 * (`alm --help | head`) closes stdout, and the next write fails with EPIPE; that ends the
 * command quietly (as `ls | head` does) instead of with an unhandled stream error.
 */
export async function runMain(run: (argv: readonly string[]) => Promise<number>): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  process.exitCode = await run(process.argv.slice(2));
}
