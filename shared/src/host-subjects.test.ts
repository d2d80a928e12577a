import { describe, expect, it } from 'vitest';
import { HOST_NAME, buildDiffSubject, buildHostName, buildRpcSubject, buildStateSubject, parseSubjectHost } from './host-subjects.ts';

describe('buildHostName', () => {
  it.each([
    ['node-1.example.com', 'node-1'],
    ['web01', 'web01'],
    ['WS-Laptop', 'WS-Laptop'],
    ['ip-10-0-1-17.eu-west-1.compute.internal', 'ip-10-0-1-17'],
    ['host with spaces', 'host-with-spaces'],
    ['-leading', 'leading'],
    ['.', 'host'],
    ['', 'host'],
    ['a'.repeat(80), 'a'.repeat(63)],
    ['münchen', 'm-nchen'],
  ])('turns the hostname %j into the subject-safe name %j', (hostname, name) => {
    expect(buildHostName(hostname)).toBe(name);
    expect(HOST_NAME.test(buildHostName(hostname))).toBe(true);
  });
});

describe('subjects', () => {
  it('put each host in its own subjects, which parseSubjectHost reads back', () => {
    expect(buildStateSubject('b', 'snapshot')).toBe('proclens.state.b.snapshot');
    expect(buildStateSubject('b', 'beat')).toBe('proclens.state.b.beat');
    expect(buildDiffSubject('b')).toBe('proclens.diff.b');
    expect(buildRpcSubject('b')).toBe('proclens.rpc.b');
    for (const subject of [buildStateSubject('host-b', 'snapshot'), buildStateSubject('host-b', 'beat'), buildDiffSubject('host-b')]) {
      expect(parseSubjectHost(subject)).toBe('host-b');
    }
  });

  it.each(['other.state.b.beat', 'proclens.state.b', 'proclens.diff.b.extra', 'proclens.rpc.b', 'proclens.diff.-b', 'proclens.diff.*', ''])(
    'parseSubjectHost refuses %j',
    (subject) => {
      expect(parseSubjectHost(subject)).toBeNull();
    },
  );
});
