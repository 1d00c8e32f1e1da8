/** Bad input to the viewer (a run it cannot show, a port in use, a browser or ffmpeg missing): one line, exit 2. */
export class ViewerError extends Error {
  override readonly name = 'ViewerError';
}
