import { describe, expect, it } from 'vitest';
import { hasFixture, readFixture } from '../fixtures/read-fixture.js';
import { parseEnviron } from './parse-environ.ts';
import { parseCmdline, parseNulList } from './parse-nul-list.ts';

const cmdline = (name: string): string[] => parseNulList(readFixture(`proc/${name}/cmdline`));
const RENAME_SCRIPT = 'open(my $f, ">", "/proc/self/comm") or die "comm: $!"; print $f $ARGV[0]; close($f) or die "comm: $!"; sleep 30';

describe('parseNulList over /proc/PID/cmdline', () => {
  // Real captures made by shared/fixtures/capture.sh.
  it.each([
    { name: 'sleep', argv: ['sleep', '30'] },
    { name: 'comm-newline', argv: ['/usr/bin/perl', '-e', RENAME_SCRIPT, 'line1\nline2'] },
    { name: 'comm-spaces', argv: ['/usr/bin/perl', '-e', RENAME_SCRIPT, ' x y '] },
    { name: 'empty-args', argv: ['/usr/bin/perl', '-e', 'sleep 30', '', 'x'.repeat(20_000), ''] },
    { name: 'zombie', argv: [] },
    { name: 'kthreadd', argv: [] },
    { name: 'kernel-thread', argv: [] },
  ])('parseNulList reads the argv of the $name capture', ({ name, argv }) => {
    expect(cmdline(name)).toEqual(argv);
  });

  it('parseNulList keeps spaces and parentheses inside one argument', () => {
    const argv = cmdline('comm-parens');
    expect(argv).toHaveLength(2);
    expect(argv[0]).toMatch(/\/a\) b \(c$/);
    expect(argv[1]).toBe('30');
  });

  it('parseNulList keeps the full program name that comm cuts to 15 bytes', () => {
    expect(cmdline('comm-truncated')[0]).toMatch(/\/containerd-shim-runc-v2$/);
  });

  it('parseNulList reads the argv that redis-server rewrote into one title', () => {
    // Debian's redis 7 writes its title over argv and pads the rest of the area with NULs.
    const argv = cmdline('redis-server');
    expect(argv[0]).toMatch(/^\/usr\/bin\/redis-server 127\.0\.0\.1:\d+$/);
    expect(argv.join(' ').trimEnd()).toBe(argv[0]);
  });

  it('parseNulList keeps a 20,000-byte argument whole', () => {
    expect(cmdline('empty-args')[4]).toHaveLength(20_000);
  });

  it.each([
    ['an empty file', '', []],
    ['one empty argument', '\0', ['']],
    ['empty arguments in the middle', 'sh\0-c\0\0x\0', ['sh', '-c', '', 'x']],
    ['a trailing empty argument', 'a\0\0', ['a', '']],
    ['a rewritten argv without the final NUL', 'nginx: worker process', ['nginx: worker process']],
  ])('parseNulList reads %s', (_label, text, argv) => {
    expect(parseNulList(text)).toEqual(argv);
  });
});

describe('parseEnviron over /proc/PID/environ', () => {
  it('parseEnviron reads the variables a process was started with', () => {
    expect(parseEnviron(readFixture('proc/sleep/environ'))).toEqual({
      state: 'ok',
      vars: [
        { name: 'PATH', value: '/usr/bin:/bin' },
        { name: 'HOME', value: '/nonexistent' },
        { name: 'LANG', value: 'C.UTF-8' },
        { name: 'PROCLENS_FIXTURE', value: 'sleep' },
      ],
    });
  });

  it('parseEnviron says redis-server zeroed its environment', () => {
    const text = readFixture('proc/redis-server/environ');
    expect(text.length).toBeGreaterThan(0);
    expect(parseEnviron(text)).toEqual({ state: 'zeroed', vars: [] });
  });

  it('parseEnviron says a process started with no environment has an empty one', () => {
    const text = readFixture('proc/empty-args/environ');
    expect(text).toBe('');
    expect(parseEnviron(text)).toEqual({ state: 'empty', vars: [] });
  });

  it.each(['zombie', 'kthreadd', 'kernel-thread'])('reading environ of the %s capture failed with ESRCH, not an empty file', (name) => {
    // The kernel refuses environ of a process without memory; the reader maps that to "empty".
    expect(hasFixture(`proc/${name}/environ`)).toBe(false);
    expect(readFixture(`proc/${name}/environ.error`).trim()).toBe('No such process');
  });

  it.each([
    ['a value holding `=`', 'A=b=c\0', [{ name: 'A', value: 'b=c' }]],
    [
      'an entry without `=`',
      'JUNK\0B=1\0',
      [
        { name: 'JUNK', value: '' },
        { name: 'B', value: '1' },
      ],
    ],
    ['an empty value', 'EMPTY=\0', [{ name: 'EMPTY', value: '' }]],
  ])('parseEnviron reads %s', (_label, text, vars) => {
    expect(parseEnviron(text)).toEqual({ state: 'ok', vars });
  });
});

describe('parseCmdline', () => {
  it('parseCmdline drops the NUL padding of a rewritten argv (Debian redis-server 7)', () => {
    const argv = parseCmdline(readFixture('proc/redis-server/cmdline'));
    expect(argv).toHaveLength(1);
    expect(argv[0]).toMatch(/^\/usr\/bin\/redis-server 127\.0\.0\.1:\d+$/);
  });

  it('parseCmdline keeps empty arguments before the last real one', () => {
    expect(parseCmdline('sh\0-c\0\0x\0')).toEqual(['sh', '-c', '', 'x']);
  });

  it('parseCmdline reads an empty file (zombie, kernel thread) as no argv', () => {
    expect(parseCmdline('')).toEqual([]);
  });
});
