import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRecording } from './read-recording.ts';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo/lesson-containers-are-processes.jsonl.gz');

describe('the demo recording (made by scripts/record-demo.sh from the lab engine)', () => {
  it('reads back whole, and holds the lesson: db started, exec’d into, stopped, started again, then web', async () => {
    const { header, history } = await readRecording(DEMO);
    expect(header.format).toBe(1);
    const markers = history.markers(100).map((e) => e.text);
    const order = [/^container db (created|started)/, /^container db stopped \(exit code \d+\)$/, /^container db started$/, /^container web (created|started)/];
    let from = 0;
    for (const pattern of order) {
      const index = markers.slice(from).findIndex((t) => pattern.test(t));
      expect(index, `${String(pattern)} after marker ${from} in ${JSON.stringify(markers)}`).toBeGreaterThanOrEqual(0);
      from += index + 1;
    }
    const events = history.eventsUpTo(history.end ?? 0, 1000).map((e) => e.text);
    expect(events.some((t) => / in db started$/.test(t) && /^(sh|env)\(/.test(t))).toBe(true);
    const end = history.at(history.end ?? 0);
    const running = end?.containers.filter((c) => c.state === 'running').map((c) => c.name);
    expect(running?.sort()).toEqual(['db', 'web']);
    // The chain the lesson is about, at the end: dockerd → containerd → shim → redis-server.
    const db = end?.containers.find((c) => c.name === 'db');
    const redis = end?.processes.find((p) => p.pid === db?.pid);
    expect(redis?.name).toBe('redis-server');
    expect(end?.processes.find((p) => p.pid === redis?.ppid)?.role).toBe('shim');
  });
});
