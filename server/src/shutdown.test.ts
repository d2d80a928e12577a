import { describe, expect, it } from 'vitest';
import { spawnProclens } from './spawn-proclens.ts';
import { openSocket, until } from './test-http.ts';

// The real command, stopped as npm or a service manager stops it, with a page's WebSocket open.
describe('SIGTERM with a WebSocket client connected', () => {
  it('closes the client with 1001 and exits 0, well within the shutdown deadline', async () => {
    const server = await spawnProclens();
    try {
      const base = new URL(server.url).origin;
      const opened = await openSocket(base, { origin: base, headers: { authorization: `Bearer ${server.token ?? ''}` } });
      if ('refused' in opened) throw new Error(`the WebSocket was refused with ${opened.refused}`);
      await until(() => opened.messages.some((m) => m.type === 'snapshot'), 10_000, 'the first snapshot');
      const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
        const at = Date.now();
        server.child.once('exit', (code) => resolve({ code, ms: Date.now() - at }));
      });
      server.child.kill('SIGTERM');
      const { code, ms } = await exited;
      expect(await opened.closed).toBe(1001);
      // main.ts exits 1 when closing takes longer than its 1.5 s deadline.
      expect(code).toBe(0);
      expect(ms).toBeLessThan(1500);
    } finally {
      await server.stop();
    }
  });
});
