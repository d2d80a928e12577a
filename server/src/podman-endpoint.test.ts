import { describe, expect, it } from 'vitest';
import { parsePodmanHost } from './podman-endpoint.ts';

describe('parsePodmanHost', () => {
  it.each([
    ['unix:///tmp/lab/podman.sock', false, 'unix:///tmp/lab/podman.sock'],
    ['unix:///tmp/lab/podman.sock', true, 'unix:///tmp/lab/podman.sock'],
    [null, true, 'unix:///run/podman/podman.sock'],
    [null, false, null],
    ['  ', false, null],
  ])('parsePodmanHost(%j, default socket exists: %j) is %j', (configured, exists, expected) => {
    expect(parsePodmanHost(configured, exists)).toBe(expected);
  });
});
