/** `node:path` in the page bundle: POSIX joins for the volume's paths. */
export const sep = '/';

export function join(...parts: string[]): string {
  const out: string[] = [];
  for (const segment of parts.join('/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return (parts[0]?.startsWith('/') ? '/' : '') + out.join('/');
}
export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
export const dirname = (path: string): string => {
  const at = path.lastIndexOf('/');
  return at <= 0 ? (at === 0 ? '/' : '.') : path.slice(0, at);
};
export function relative(from: string, to: string): string {
  return to.startsWith(from + '/') ? to.slice(from.length + 1) : to;
}
