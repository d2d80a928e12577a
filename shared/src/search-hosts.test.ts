import { describe, expect, it } from 'vitest';
import { MAX_HOST_MATCHES, searchHosts } from './search-hosts.ts';
import { testContainer, testProcess, testSnapshot } from './testing.ts';

const ID = 'e05a4d92b7c3f1e8a9d0c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5';
const hosts = [
  {
    name: 'b',
    snapshot: testSnapshot(
      [testProcess(1, 0, { name: 'init' }), testProcess(40, 1, { name: 'redis-server', containerId: ID })],
      [testContainer(ID, 'cache', [40])],
    ),
  },
  { name: 'a', snapshot: testSnapshot([testProcess(1, 0, { name: 'init' }), testProcess(40, 1, { name: 'sleep' })]) },
  { name: 'c', snapshot: null },
];

describe('searchHosts', () => {
  it('finds a pid on every host that has it, with the container it is in', () => {
    expect(searchHosts(hosts, '40')).toEqual([
      { host: 'a', kind: 'process', pid: 40, name: 'sleep', container: null },
      { host: 'b', kind: 'process', pid: 40, name: 'redis-server', container: { id: ID, name: 'cache', image: 'redis:alpine', state: 'running' } },
    ]);
  });

  it.each(['cach', 'CACHE', 'e05a4d', 'redis:al'])('finds the container by name, id prefix or image: %j', (query) => {
    expect(searchHosts(hosts, query)).toEqual([
      { host: 'b', kind: 'container', pid: 40, name: 'cache', container: { id: ID, name: 'cache', image: 'redis:alpine', state: 'running' } },
    ]);
  });

  it('finds processes by their exact name only', () => {
    expect(searchHosts(hosts, 'init').map((m) => m.host)).toEqual(['a', 'b']);
    expect(searchHosts(hosts, 'ini')).toEqual([]);
  });

  it('answers nothing to an empty query and at most MAX_HOST_MATCHES to a broad one', () => {
    expect(searchHosts(hosts, '  ')).toEqual([]);
    const many = Array.from({ length: 200 }, (_, i) => ({ name: `h${i}`, snapshot: testSnapshot([testProcess(1, 0)]) }));
    expect(searchHosts(many, '1')).toHaveLength(MAX_HOST_MATCHES);
  });
});
