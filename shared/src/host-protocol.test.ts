import { describe, expect, it } from 'vitest';
import { hostReplySchema, hostRequestSchema, parseHostMessage } from './host-protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { testContainer, testProcess, testSnapshot } from './testing.ts';

const snapshotMessage = {
  type: 'snapshot',
  protocol: PROTOCOL_VERSION,
  host: 'host-b',
  epoch: 'k3Jd9xQ2',
  seq: 0,
  sentAt: 1_795_924_680_910,
  snapshot: testSnapshot([testProcess(1, 0), testProcess(40, 1, { containerId: 'c1' })], [testContainer('c1', 'web', [40])]),
};
const beat = {
  type: 'beat',
  protocol: PROTOCOL_VERSION,
  host: 'host-b',
  epoch: 'k3Jd9xQ2',
  seq: 3,
  sentAt: 1,
  beatMs: 5000,
  processes: 2,
  containers: 1,
  problem: null,
};

describe('parseHostMessage', () => {
  it('accepts what an agent publishes', () => {
    expect(parseHostMessage(JSON.stringify(snapshotMessage))).toEqual({ ok: true, value: snapshotMessage });
    expect(parseHostMessage(JSON.stringify(beat))).toEqual({ ok: true, value: beat });
  });

  it('names the versions when an agent speaks another protocol', () => {
    const parsed = parseHostMessage(JSON.stringify({ ...beat, protocol: 1 }));
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`agent speaks protocol 1; this hub speaks ${PROTOCOL_VERSION}`)) as unknown });
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown key', JSON.stringify({ ...beat, extra: 1 })],
    ['an unknown key deep inside', JSON.stringify({ ...snapshotMessage, snapshot: { ...snapshotMessage.snapshot, __proto__x: 1 } })],
    ['__proto__', `{"__proto__":{"polluted":1},${JSON.stringify(beat).slice(1)}`],
    ['a host name that is not one subject token', JSON.stringify({ ...beat, host: 'a.b' })],
    ['a negative seq', JSON.stringify({ ...beat, seq: -1 })],
    ['an unknown type', JSON.stringify({ ...beat, type: 'exec' })],
    ['an array', '[]'],
    ['null', 'null'],
  ])('refuses %s without throwing', (_what, text) => {
    expect(parseHostMessage(text).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('host requests and replies', () => {
  it.each([
    [{ type: 'process', pid: 1 }, true],
    [{ type: 'process', pid: 0 }, false],
    [{ type: 'process', pid: 4_194_305 }, false],
    [{ type: 'container', ref: 'db' }, true],
    [{ type: 'container', ref: 'x'.repeat(129) }, false],
    [{ type: 'resync' }, true],
    [{ type: 'resync', now: true }, false],
    [{ type: 'kill', pid: 1 }, false],
  ])('hostRequestSchema on %j: %s', (request, ok) => {
    expect(hostRequestSchema.safeParse(request).success).toBe(ok);
  });

  it('a reply is a status and a body, nothing else', () => {
    expect(hostReplySchema.safeParse({ status: 404, body: { error: 'no such process' } }).success).toBe(true);
    expect(hostReplySchema.safeParse({ status: 700, body: null }).success).toBe(false);
    expect(hostReplySchema.safeParse({ status: 200, body: null, x: 1 }).success).toBe(false);
  });
});
