import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from './model.ts';
import { MAX_CLIENT_FRAME_BYTES, PROTOCOL_VERSION, parseClientMessage, parseServerMessage } from './protocol.ts';
import type { ServerMessage } from './protocol.ts';

const ID = 'e05a4d92b7c3f1e8a9d0c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5';
const snapshot: Snapshot = {
  processes: [
    {
      pid: 2984,
      ppid: 2962,
      name: 'redis-server',
      argv: ['redis-server *:6379'],
      uid: 999,
      state: 'S',
      threads: 5,
      startTime: 78491,
      startedAt: 1_795_924_680_910,
      cpu: 0.3,
      rssKiB: 11_872,
      nspid: [2984, 1],
      containerId: ID,
      logicalParent: null,
      role: null,
      shimOf: null,
      newNamespaces: [],
      kernelThread: false,
    },
  ],
  containers: [
    {
      id: ID,
      engine: 'docker',
      namespace: 'moby',
      source: 'api',
      exitCode: null,
      name: 'db',
      image: 'redis:7',
      state: 'running',
      status: 'Up 3 minutes',
      command: 'docker-entrypoint.sh redis-server',
      created: 1_795_924_000_000,
      pid: 2984,
      pids: [2984],
      labels: { 'com.docker.compose.project': 'lab' },
    },
  ],
  host: {
    hostname: 'lab',
    kernel: '6.1.0-18-amd64',
    cpus: 2,
    bootTime: 1_795_923_896_000,
    engines: [{ kind: 'docker', state: 'connected', endpoint: 'unix:///var/run/docker.sock', version: '27.3.1', error: null }],
  },
  takenAt: 1_795_924_700_000,
};

const valid: ServerMessage[] = [
  { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot },
  { type: 'diff', seq: 1, diff: { upserted: snapshot.processes, removed: [17719], containers: null, host: null, takenAt: 1 } },
  { type: 'diff', seq: 2, diff: { upserted: [], removed: [], containers: [], host: snapshot.host, takenAt: 2 } },
  { type: 'error', message: 'frame too large' },
  { type: 'session', role: 'presenter', share: true, mode: 'live', audienceUrl: 'http://192.168.1.20:7700/?token=abc' },
  { type: 'playback', state: { mode: 'replay', start: 1, end: 60_001, at: 30_000, live: false, playing: true, speed: 4 } },
  { type: 'markers', markers: [{ id: '2:c+:x', at: 2, kind: 'container-created', text: 'container db started (redis:7)', pid: 2984, containerId: ID }] },
  { type: 'timeline', events: [] },
  { type: 'presenter', view: null },
  { type: 'presence', audience: 12, following: 11 },
];

const view = {
  selection: { pid: 2984, startTime: 78491 },
  container: 'db',
  query: 'redis',
  matchIndex: 0,
  view: 'kernel',
  kernelThreads: false,
  workshop: true,
  dockerFocus: true,
  folded: [1, 2],
  expandedGroups: ['12:sleep'],
  framing: 'process',
  fits: 3,
  lessonStep: 2,
  section: 'namespaces',
};

describe('parseServerMessage', () => {
  it.each(valid.map((m) => [m.type, m] as const))('parseServerMessage round-trips a valid %s message', (_type, message) => {
    expect(parseServerMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
  });

  it.each([
    ['an unknown type', { type: 'hello', seq: 0 }],
    ['an extra key at the top', { type: 'error', message: 'x', extra: 1 }],
    [
      'an extra key in a process',
      { type: 'diff', seq: 1, diff: { upserted: [{ ...snapshot.processes[0], exe: '/x' }], removed: [], containers: null, host: null, takenAt: 0 } },
    ],
    ['another protocol version', { type: 'snapshot', protocol: PROTOCOL_VERSION + 1, seq: 0, snapshot }],
    ['a negative seq', { type: 'diff', seq: -1, diff: { upserted: [], removed: [], containers: null, host: null, takenAt: 0 } }],
    ['a fractional pid', { type: 'diff', seq: 1, diff: { upserted: [], removed: [1.5], containers: null, host: null, takenAt: 0 } }],
    ['no type', { message: 'x' }],
    ['an array', [{ type: 'error', message: 'x' }]],
    ['null', null],
  ])('parseServerMessage rejects %s with an error', (_label, message) => {
    const parsed = parseServerMessage(JSON.stringify(message));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(/\S/);
  });

  it('parseServerMessage rejects a __proto__ key', () => {
    const parsed = parseServerMessage('{"type":"error","message":"x","__proto__":{"polluted":true}}');
    expect(parsed.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parseServerMessage never lets a __proto__ label reach Object.prototype', () => {
    const text = JSON.stringify({ type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot }).replace(
      '"labels":{',
      '"labels":{"__proto__":{"polluted":"yes"},',
    );
    const parsed = parseServerMessage(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (parsed.ok) expect(Object.getPrototypeOf(parsed.value.type === 'snapshot' && parsed.value.snapshot.containers[0]?.labels)).toBe(Object.prototype);
  });

  it.each(['', 'not json', '{', '{"type":"error","message":"x"', 'undefined', '\u0000'])('parseServerMessage rejects %j as not JSON', (text) => {
    expect(parseServerMessage(text)).toEqual({ ok: false, error: 'not JSON' });
  });
});

describe('parseClientMessage', () => {
  it('parseClientMessage accepts a resync request', () => {
    expect(parseClientMessage('{"type":"resync"}')).toEqual({ ok: true, value: { type: 'resync' } });
  });

  it.each([
    { type: 'play' },
    { type: 'pause' },
    { type: 'speed', speed: 0.25 },
    { type: 'seek', at: 1_795_924_700_000 },
    { type: 'live' },
    { type: 'follow', following: false },
    { type: 'present', view },
    { type: 'present', view: { ...view, selection: { pid: 1, startTime: null }, lessonStep: null, section: null, container: null } },
  ])('parseClientMessage accepts $type', (message) => {
    expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
  });

  it.each([
    ['a speed the player does not offer', { type: 'speed', speed: 3 }],
    ['a seek to no time', { type: 'seek', at: null }],
    ['a seek as a string', { type: 'seek', at: '1795924700000' }],
    ['a view with an extra key', { type: 'present', view: { ...view, theme: 'dark' } }],
    ['a view missing a key', { type: 'present', view: { ...view, fits: undefined } }],
    ['a view with too many folds', { type: 'present', view: { ...view, folded: Array.from({ length: 257 }, (_, i) => i) } }],
    ['a view with a long query', { type: 'present', view: { ...view, query: 'x'.repeat(513) } }],
    ['a view with another view', { type: 'present', view: { ...view, view: 'flat' } }],
    ['follow without a boolean', { type: 'follow', following: 'yes' }],
  ])('parseClientMessage refuses %s', (_label, message) => {
    expect(parseClientMessage(JSON.stringify(message)).ok).toBe(false);
  });

  it('the largest view a presenter may send fits in one frame', () => {
    const largest = {
      type: 'present',
      view: {
        ...view,
        query: 'q'.repeat(512),
        container: 'c'.repeat(256),
        folded: Array.from({ length: 256 }, () => 4_194_304),
        expandedGroups: Array.from({ length: 48 }, () => 'g'.repeat(128)),
        section: 's'.repeat(32),
      },
    };
    const text = JSON.stringify(largest);
    expect(text.length).toBeLessThanOrEqual(MAX_CLIENT_FRAME_BYTES);
    expect(parseClientMessage(text).ok).toBe(true);
  });

  it.each([
    ['an unknown type', '{"type":"exec","cmd":"rm -rf /"}'],
    ['an extra key', '{"type":"resync","seq":3}'],
    ['a __proto__ key', '{"type":"resync","__proto__":{"isAdmin":true}}'],
    ['a type only under __proto__', '{"__proto__":{"type":"resync"}}'],
    ['a constructor key', '{"type":"resync","constructor":{"prototype":{"x":1}}}'],
    ['a string', '"resync"'],
    ['a number', '42'],
    ['null', 'null'],
    ['not JSON', 'resync'],
  ])('parseClientMessage rejects %s with an error', (_label, text) => {
    const parsed = parseClientMessage(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(/\S/);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('parseClientMessage refuses a frame over the size limit before parsing it', () => {
    const text = `{"type":"resync"${' '.repeat(MAX_CLIENT_FRAME_BYTES)}}`;
    expect(parseClientMessage(text)).toEqual({ ok: false, error: 'frame too large' });
  });

  it('parseClientMessage accepts a valid frame of exactly the size limit', () => {
    const message = '{"type":"resync"}';
    const text = message + ' '.repeat(MAX_CLIENT_FRAME_BYTES - message.length);
    expect(parseClientMessage(text)).toEqual({ ok: true, value: { type: 'resync' } });
  });

  it('parseClientMessage refuses a deeply nested frame without throwing', () => {
    expect(parseClientMessage('['.repeat(2000) + ']'.repeat(2000)).ok).toBe(false);
  });
});

describe('message parsers under fuzzing', () => {
  const jsonText = fc.jsonValue().map((v) => JSON.stringify(v));
  const messageLike = fc
    .record(
      {
        type: fc.constantFrom('resync', 'snapshot', 'diff', 'error', '__proto__', 'constructor'),
        seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        protocol: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.integer()),
        message: fc.string(),
        diff: fc.jsonValue(),
        snapshot: fc.jsonValue(),
      },
      { requiredKeys: ['type'] },
    )
    .map((v) => JSON.stringify(v));
  const inputs = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonText, messageLike);

  it('parseClientMessage never throws', () => {
    fc.assert(
      fc.property(inputs, (text) => {
        const parsed = parseClientMessage(text);
        expect(typeof parsed.ok).toBe('boolean');
        if (!parsed.ok) expect(typeof parsed.error).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('parseServerMessage never throws', () => {
    fc.assert(
      fc.property(inputs, (text) => {
        const parsed = parseServerMessage(text);
        expect(typeof parsed.ok).toBe('boolean');
        if (!parsed.ok) expect(typeof parsed.error).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('parseServerMessage accepts what it accepted once more after a JSON round trip', () => {
    fc.assert(
      fc.property(inputs, (text) => {
        const parsed = parseServerMessage(text);
        if (parsed.ok) expect(parseServerMessage(JSON.stringify(parsed.value))).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });
});
