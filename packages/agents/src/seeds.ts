/**
 * Deriving an agent's own seed from the run seed. The training loop seeds its own Rng with the run
 * seed itself, so an agent mixes in its name (FNV-1a, then a murmur3 finaliser) to get a stream
 * that is independent of the loop's yet fixed by the run seed.
 */
export function deriveSeed(runSeed: number, label: string): number {
  let h = 0x811c9dc5 ^ (runSeed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
