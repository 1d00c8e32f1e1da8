export async function reportCommand(
  _flags: { runs: string; out: string },
  _context: { print: (line: string) => void },
): Promise<void> {
  throw new Error('not yet');
}
