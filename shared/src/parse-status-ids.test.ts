import { describe, expect, it } from 'vitest';
import { listFixtures, readFixture } from '../fixtures/read-fixture.js';
import { parseStatus } from './parse-status.ts';
import { parseStatusIds } from './parse-status-ids.ts';

const captures = listFixtures('proc').filter((name) => listFixtures(`proc/${name}`).includes('status'));

describe('parseStatusIds', () => {
  it.each(captures)('parseStatusIds reads the uid and NSpid that parseStatus reads from the %s capture', (name) => {
    const text = readFixture(`proc/${name}/status`);
    const full = parseStatus(text);
    expect(full.nspid.length).toBeGreaterThan(0);
    expect(parseStatusIds(text)).toEqual({ uid: full.uid[0] ?? null, nspid: full.nspid });
  });

  it.each([
    ['a status with neither line', 'Name:\tx\nState:\tS (sleeping)\n', { uid: null, nspid: [] }],
    ['Uid as the first line and no newline at the end', 'Uid:\t1000\t1000\t1000\t1000\nNSpid:\t2984\t1', { uid: 1000, nspid: [2984, 1] }],
    ['a key that only ends another key (RUid:)', 'RUid:\t5\nNSpid:\t7\n', { uid: null, nspid: [7] }],
    ['an empty read (the process exited)', '', { uid: null, nspid: [] }],
  ])('parseStatusIds reads %s', (_label, text, expected) => {
    expect(parseStatusIds(text)).toEqual(expected);
  });
});
