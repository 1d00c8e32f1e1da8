/**
 * Copies one row of `length` floats between flat arrays. A plain loop beats
 * `dst.set(src.subarray(...))` for short rows (HalfCheetah's 17) because it allocates no view;
 * long rows (Humanoid's 376) go through `set`, which is a memcpy.
 */
const SET_THRESHOLD = 64;

export function copyRow(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  length: number,
): void {
  if (length >= SET_THRESHOLD) {
    dst.set(src.subarray(srcOffset, srcOffset + length), dstOffset);
    return;
  }
  for (let i = 0; i < length; i++) dst[dstOffset + i] = src[srcOffset + i];
}
