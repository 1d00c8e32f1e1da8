/** `node:crypto`, `node:zlib` and `node:os` in the page bundle: only what nothing the page runs needs. */
import { notInThePage } from './volume';

export const createHash = (): never => notInThePage('crypto.createHash');
export const crc32 = (): never => notInThePage('zlib.crc32');
export const endianness = (): 'LE' | 'BE' => 'LE';
