import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bench/update-readme.ts';

const SCRIPT = path.join(REPO_ROOT, 'scripts/ensure-test-deps.sh');
const run = (args: string[], options: { env?: NodeJS.ProcessEnv; asNobody?: boolean } = {}) => {
  const command = options.asNobody
    ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '/bin/bash', SCRIPT, ...args]
    : ['/bin/bash', SCRIPT, ...args];
  return spawnSync(command[0] as string, command.slice(1), { env: options.env ?? process.env, encoding: 'utf8', timeout: 60_000 });
};

describe('scripts/ensure-test-deps.sh', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('the README shows exactly the apt-get line the script installs from', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /<!-- test-deps -->\n`([^`]+)`\n<!-- \/test-deps -->/.exec(readme);
    expect(block?.[1]).toBe(run(['--print']).stdout.trim());
  });

  it('does nothing when every package is installed (this machine, as CI leaves it)', () => {
    const result = run([]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('as another user, prints the exact apt-get line for what is missing and stops', () => {
    // A PATH where everything but openssl and curl can be found.
    const bin = mkdtempSync(path.join(tmpdir(), 'proclens-deps-'));
    dirs.push(bin);
    chmodSync(bin, 0o755); // nobody must be able to look in it
    // The script's own command:package list, read from it.
    const pairs = /PACKAGES=\(\n([\s\S]*?)\n\)/.exec(readFileSync(SCRIPT, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
    expect(pairs).toContain('openssl:openssl');
    const providers = [...pairs.map((p) => p.split(':')[0] ?? '').filter((c) => c !== 'openssl' && c !== 'curl'), 'id'];
    for (const name of providers) {
      const found = spawnSync('/bin/bash', ['-c', `PATH=$PATH:/usr/sbin:/sbin command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
      if (found) symlinkSync(found, path.join(bin, name));
    }
    const result = run([], { env: { PATH: bin }, asNobody: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apt-get update && apt-get install -y openssl curl\n');
  });
});
