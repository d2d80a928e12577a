import { describe, expect, it } from 'vitest';
import { diffSnapshots } from './diff-snapshots.ts';
import { RecordingError, RecordingParser } from './parse-recording.ts';
import type { ParsedRecording } from './parse-recording.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { RECORDING_FORMAT } from './recording.ts';
import { testContainer, testProcess, testSnapshot } from './testing.ts';

const header = {
  kind: 'header',
  format: RECORDING_FORMAT,
  protocol: PROTOCOL_VERSION,
  recorder: 'proclens 0.1.0',
  host: { hostname: 'lab', kernel: '6.1.0', cpus: 2, bootTime: 0 },
  startedAt: 1_000,
  intervalMs: 1000,
  keyframeMs: 30_000,
};
const first = testSnapshot([testProcess(1, 0), testProcess(10, 1)], [], 1_000);
const second = testSnapshot([testProcess(1, 0), testProcess(10, 1), testProcess(42, 10, { containerId: 'c1' })], [testContainer('c1', 'db', [42])], 2_000);
const event = { id: '2000:c+:c1', at: 2_000, kind: 'container-created', text: 'container db started (redis:alpine)', pid: 42, containerId: 'c1' };

/** A recording as the writer makes it: header, snapshot, a diff with its event, end. */
const good = (): string[] => [
  JSON.stringify(header),
  JSON.stringify({ kind: 'snapshot', at: 1_000, snapshot: first }),
  JSON.stringify({ kind: 'diff', at: 2_000, diff: diffSnapshots(first, second) }),
  JSON.stringify({ kind: 'event', at: 2_000, event }),
  JSON.stringify({ kind: 'end', at: 5_000 }),
];

function parse(lines: readonly string[], rest = ''): ParsedRecording {
  const parser = new RecordingParser();
  for (const line of lines) parser.push(line);
  return parser.finish(rest);
}

function failure(lines: readonly string[], rest = ''): { line: number; message: string } {
  try {
    parse(lines, rest);
  } catch (err) {
    if (err instanceof RecordingError) return { line: err.line, message: err.message };
    throw err;
  }
  throw new Error('parsed');
}

const replace = (index: number, text: string) => good().map((l, i) => (i === index ? text : l));

describe('RecordingParser', () => {
  it('RecordingParser reads a recording into a history that shows each moment, until the end line', () => {
    const { header: parsedHeader, history, lines } = parse(good());
    expect(parsedHeader.host.hostname).toBe('lab');
    expect(lines).toBe(5);
    expect(history.at(1_500)).toEqual(first);
    expect(history.at(2_000)).toEqual(second);
    expect(history.end).toBe(5_000);
    expect(history.at(5_000)?.processes).toEqual(second.processes);
    expect(history.markers(10)).toEqual([event]);
  });

  it('RecordingParser shares rows between keyframes and checks a row it already holds only once', () => {
    const again = { ...second, takenAt: 40_000, processes: second.processes.map((p) => ({ ...p })) };
    const lines = [...good().slice(0, 4), JSON.stringify({ kind: 'snapshot', at: 40_000, snapshot: again }), JSON.stringify({ kind: 'end', at: 40_000 })];
    const { history } = parse(lines);
    expect(history.keyframeCount).toBe(2);
    expect(history.at(40_000)?.processes[2]).toBe(history.at(2_000)?.processes[2]);
  });

  it.each([
    ['an empty file', [], '', 1, /the file is empty/],
    ['a text file', ['hello world'], '', 1, /line 1 is not JSON: the file is not a proclens recording/],
    ['JSON that is no header', ['{"type":"snapshot"}'], '', 1, /line 1 is not a header/],
    ['a JSON array', ['[1,2]'], '', 1, /line 1 is not a header/],
    [
      'another format',
      [JSON.stringify({ ...header, format: 2, recorder: 'proclens 9.0.0' })],
      '',
      1,
      /format 2 \(written by proclens 9\.0\.0\); this proclens reads format 1/,
    ],
    ['another protocol', [JSON.stringify({ ...header, protocol: 2 })], '', 1, /protocol 2 snapshots/],
    ['a header missing a field', [JSON.stringify({ ...header, host: undefined })], '', 1, /line 1: host: Required/],
    ['a header with an extra key', [JSON.stringify({ ...header, shell: 'rm -rf /' })], '', 1, /line 1: .*[Uu]nrecognized key/],
    ['a diff before the first snapshot', [good()[0] as string, good()[2] as string], '', 2, /line 2 is a diff before the first snapshot/],
    [
      'a row of the wrong type',
      replace(1, (good()[1] as string).replace('"uid":0', '"uid":"root"')),
      '',
      2,
      /line 2: snapshot\.processes\.0\.uid: Expected number/,
    ],
    [
      'a row with a __proto__ key',
      replace(1, (good()[1] as string).replace('"pid":10,', '"__proto__":{"x":1},"pid":10,')),
      '',
      2,
      /line 2: snapshot\.processes\.1/,
    ],
    ['an unknown kind', replace(3, '{"kind":"exec","at":2000}'), '', 4, /line 4 has an unknown kind "exec"/],
    ['a line that is not JSON', replace(2, '{"kind":"diff",'), '', 3, /line 3 is not JSON/],
    ['an empty line', replace(2, ''), '', 3, /line 3 is empty/],
    ['time going backwards', replace(3, JSON.stringify({ kind: 'event', at: 500, event: { ...event, at: 500 } })), '', 4, /line 4 goes back in time/],
    ['"at" that disagrees with the time inside', replace(1, (good()[1] as string).replace('"at":1000', '"at":1001')), '', 2, /line 2: "at" \(1001\) differs/],
    ['a last line cut off', good().slice(0, 4), '{"kind":"end","a', 5, /line 5 is cut off: the recording is truncated/],
    ['no end line', good().slice(0, 4), '', 4, /stops after line 4 without its end line: it is truncated/],
    ['a line after the end', [...good(), JSON.stringify({ kind: 'end', at: 6_000 })], '', 6, /line 6 comes after the end line/],
    ['no snapshot at all', [good()[0] as string, JSON.stringify({ kind: 'end', at: 2_000 })], '', 2, /holds no snapshot/],
  ])('RecordingParser refuses %s, naming the line', (_label, lines, rest, line, message) => {
    const found = failure(lines, rest);
    expect(found.message).toMatch(message);
    expect(found.line).toBe(line);
  });

  it('RecordingParser never lets a __proto__ key reach Object.prototype', () => {
    const text = (good()[1] as string).replace('"processes":[', '"__proto__":{"polluted":1},"processes":[');
    expect(() => parse(replace(1, text))).toThrow(RecordingError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
