import { spawnSync } from 'node:child_process';

/**
 * `commit 4555ce0` (+ `with uncommitted changes in …`), so that runs can be told apart while the
 * code moves. `paths` are the folders whose uncommitted changes matter to the figures.
 */
export function describeRevision(root: string, paths: readonly string[]): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', ...paths], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const where = paths.map((p) => `${p}/`).join(', ');
  return head ? `commit ${head}${dirty ? ` with uncommitted changes in ${where}` : ''}` : 'not a git checkout';
}
