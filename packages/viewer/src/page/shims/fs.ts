/** `node:fs` in the page bundle: reads from the page's volume; everything else is refused. */
import { notInThePage, readVolume, volume } from './volume';

export const existsSync = (path: string): boolean => volume.has(path);
export function readFileSync(path: string, encoding?: string | { encoding?: string }): Uint8Array | string {
  const bytes = readVolume(path);
  const wanted = typeof encoding === 'string' ? encoding : encoding?.encoding;
  return wanted === undefined ? bytes : new TextDecoder().decode(bytes);
}
export const readdirSync = (): never => notInThePage('fs.readdirSync');
export const statSync = (): never => notInThePage('fs.statSync');
