import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDockerEndpoint } from './docker-endpoint.ts';

describe('parseDockerEndpoint', () => {
  it.each([undefined, '', '   '])('parseDockerEndpoint uses /var/run/docker.sock for %j', (value) => {
    expect(parseDockerEndpoint(value)).toMatchObject({ url: 'unix:///var/run/docker.sock', options: { socketPath: '/var/run/docker.sock' } });
  });

  it.each([
    ['unix:///run/user/1000/docker.sock', 'unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }],
    ['/tmp/labA/docker.sock', 'unix:///tmp/labA/docker.sock', { socketPath: '/tmp/labA/docker.sock' }],
    [' unix:///var/run/docker.sock ', 'unix:///var/run/docker.sock', { socketPath: '/var/run/docker.sock' }],
    ['tcp://127.0.0.1:2375', 'tcp://127.0.0.1:2375', { protocol: 'http', host: '127.0.0.1', port: 2375 }],
    ['tcp://docker.example:2376/', 'tcp://docker.example:2376/', { protocol: 'http', host: 'docker.example', port: 2376 }],
    ['http://localhost:2375', 'http://localhost:2375', { protocol: 'http', host: 'localhost', port: 2375 }],
    ['https://docker.example:2376', 'https://docker.example:2376', { protocol: 'https', host: 'docker.example', port: 2376 }],
    ['tcp://[::1]:2375', 'tcp://[::1]:2375', { protocol: 'http', host: '[::1]', port: 2375 }],
    ['tcp://docker.example', 'tcp://docker.example', { protocol: 'http', host: 'docker.example', port: 2375 }],
    ['unix://', 'unix://', { socketPath: '/var/run/docker.sock' }],
  ])('parseDockerEndpoint reads %j', (value, url, options) => {
    expect(parseDockerEndpoint(value)).toMatchObject({ url, options, tls: url.startsWith('https:') ? 'verify' : null });
  });

  it('parseDockerEndpoint refuses ssh:// and says why', () => {
    expect(() => parseDockerEndpoint('ssh://user@host')).toThrow(/must run on the engine’s own host/);
  });

  it.each(['npipe:////./pipe/docker_engine', 'tcp://host:port', 'docker.sock', 'fd://'])('parseDockerEndpoint refuses %j with a readable error', (value) => {
    expect(() => parseDockerEndpoint(value)).toThrow(/cannot use Docker host .*expected unix:\/\/\/path\/to\/docker\.sock or tcp:\/\/host:port/);
  });
});

describe('parseDockerEndpoint with dockerode', () => {
  let server: Server | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** A stand-in engine that answers `GET /_ping` with OK, as dockerd does. */
  function fakeEngine(): Server {
    return createServer((req, res) => {
      res.writeHead(req.url?.endsWith('/_ping') ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url?.endsWith('/_ping') ? 'OK' : 'not found');
    });
  }

  it('parseDockerEndpoint gives options dockerode can reach a unix socket with', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proclens-docker-'));
    const socket = path.join(dir, 'docker.sock');
    server = fakeEngine();
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    const endpoint = parseDockerEndpoint(`unix://${socket}`);
    expect(String(await new Docker(endpoint.options).ping())).toBe('OK');
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '[::1]'],
  ])('parseDockerEndpoint gives options dockerode can reach tcp://%s with', async (address, urlHost) => {
    server = fakeEngine();
    const listening = server;
    const bound = await new Promise<boolean>((resolve) => {
      listening.once('error', () => resolve(false));
      listening.listen(0, address, () => resolve(true));
    });
    if (!bound) {
      server = undefined;
      return; // This host has no such loopback address (an IPv4-only container).
    }
    const { port } = listening.address() as AddressInfo;
    const endpoint = parseDockerEndpoint(`tcp://${urlHost}:${port}`);
    expect(String(await new Docker(endpoint.options).ping())).toBe('OK');
  });
});
