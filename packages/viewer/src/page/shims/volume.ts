/**
 * The page's stand-in for the file system: the checkpoint files the server sent, by path. The
 * agents read their checkpoints with `node:fs/promises`; in the page bundle that module is
 * ./fs-promises.ts, which reads from here, so `agent.load(dir)` runs unchanged in the browser.
 */
export const volume = new Map<string, Uint8Array>();

function notInThePage(name: string): never {
  throw new Error(`${name} is not available in the viewer page (it reads only the checkpoint it was sent)`);
}

export function readVolume(path: string): Uint8Array {
  const bytes = volume.get(path);
  if (bytes === undefined) {
    const error = new Error(`ENOENT: no such file in the page's checkpoint, '${path}'`) as Error & {
      code?: string;
    };
    error.code = 'ENOENT';
    throw error;
  }
  return bytes;
}

export { notInThePage };
