import { describe, expect, it } from 'vitest';
import { readFixture, readFixtureJson } from '../fixtures/read-fixture.js';
import { parseProcNetUnix, parseSocketInode } from './parse-proc-net-unix.ts';

interface Meta {
  /** redis-server's listening socket; its path holds a space. */
  listening: string;
  /** A socket bound and never listened on, and a bound datagram socket. */
  notListening: string[];
}

const text = readFixture('proc/net-unix/unix');
const meta = readFixtureJson('proc/net-unix/meta.json') as Meta;
const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path\n';

/** The captured lines whose Path column is exactly `path` (the path may hold spaces). */
function linesFor(path: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.slice(7).join(' ') === path);
}

describe('parseProcNetUnix', () => {
  it('parseProcNetUnix finds the listening socket redis-server had, though its path holds a space', () => {
    const listening = linesFor(meta.listening).find((cols) => cols[3] === '00010000');
    expect(meta.listening).toContain(' ');
    expect(parseProcNetUnix(text)).toContainEqual({ inode: Number(listening?.[6]), path: meta.listening });
  });

  it('parseProcNetUnix leaves out the accepted, connected end that carries the listening path', () => {
    const connected = linesFor(meta.listening).filter((cols) => cols[5] === '03');
    expect(connected.length).toBeGreaterThan(0);
    const inodes = parseProcNetUnix(text).map((l) => l.inode);
    for (const cols of connected) expect(inodes).not.toContain(Number(cols[6]));
  });

  it.each(meta.notListening)('parseProcNetUnix leaves out the bound socket that does not listen, %s', (path) => {
    expect(linesFor(path)).toHaveLength(1);
    expect(parseProcNetUnix(text).map((l) => l.path)).not.toContain(path);
  });

  it('parseProcNetUnix finds every listening socket with a path in the capture, and nothing else', () => {
    const expected = text
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '00010000' && cols[5] === '01' && cols[7]?.startsWith('/'))
      .map((cols) => ({ inode: Number(cols[6]), path: cols.slice(7).join(' ') }));
    expect(expected.length).toBeGreaterThan(1);
    expect(parseProcNetUnix(text)).toEqual(expected);
  });

  it('parseProcNetUnix leaves out abstract sockets, whose name starts with @', () => {
    const abstract = '0000000000000000: 00000002 00000000 00010000 0001 01 777 @/containerd-shim/moby/abc/shim.sock\n';
    expect(parseProcNetUnix(HEADER + abstract)).toEqual([]);
    expect(parseProcNetUnix(text).some((l) => l.path.startsWith('@'))).toBe(false);
  });

  it.each([
    ['a path with a space', '/run/my dir/app.sock'],
    ['a path with several spaces', '/tmp/a  b /c.sock'],
    ['a plain path', '/run/containerd/containerd.sock'],
  ])('parseProcNetUnix reads a listening socket with %s', (_label, path) => {
    const line = `ffff8880a1b2c3d4: 00000002 00000000 00010000 0001 01 12345 ${path}\n`;
    expect(parseProcNetUnix(HEADER + line)).toEqual([{ inode: 12345, path }]);
  });

  it('parseProcNetUnix reads a listening seqpacket socket', () => {
    const line = 'ffff8880a1b2c3d4: 00000002 00000000 00010000 0005 01 4242 /run/seq.sock\n';
    expect(parseProcNetUnix(HEADER + line)).toEqual([{ inode: 4242, path: '/run/seq.sock' }]);
  });

  it.each([
    ['the header alone', HEADER],
    ['an empty file', ''],
    ['a socket without a path', `${HEADER}0000000000000000: 00000002 00000000 00010000 0001 01 9\n`],
  ])('parseProcNetUnix finds nothing in %s', (_label, input) => {
    expect(parseProcNetUnix(input)).toEqual([]);
  });
});

describe('parseSocketInode', () => {
  it.each([
    ['socket:[12345]', 12345],
    ['socket:[0]', 0],
    ['pipe:[12345]', null],
    ['anon_inode:[eventpoll]', null],
    ['/dev/null', null],
    ['socket:[12345] ', null],
  ])('parseSocketInode reads %j as %j', (link, inode) => {
    expect(parseSocketInode(link)).toBe(inode);
  });
});
