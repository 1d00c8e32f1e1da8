/** `node:fs/promises` in the page bundle: reads from the page's volume; writing is refused. */
import { notInThePage, readVolume } from './volume';

export async function readFile(
  path: string,
  encoding?: string | { encoding?: string },
): Promise<Uint8Array | string> {
  const bytes = readVolume(path);
  const wanted = typeof encoding === 'string' ? encoding : encoding?.encoding;
  return wanted === undefined ? bytes : new TextDecoder().decode(bytes);
}
export const open = (): never => notInThePage('fs.open');
export const rename = (): never => notInThePage('fs.rename');
export const rm = (): never => notInThePage('fs.rm');
export const mkdir = (): never => notInThePage('fs.mkdir');
export const readdir = (): never => notInThePage('fs.readdir');
export const stat = (): never => notInThePage('fs.stat');
