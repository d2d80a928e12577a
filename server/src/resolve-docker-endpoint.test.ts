import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSH_REFUSAL } from './docker-endpoint.ts';
import { readDockerEndpoint } from './read-docker-endpoint.ts';
import { resolveDockerEndpoint } from './resolve-docker-endpoint.ts';

// Context files exactly as `docker context create` (Docker CLI 28) wrote them; the folder name is
// the sha256 of the context's name.
const ROOTLESS_ID = '12b961af5feb3e9d39f93b2cefb9a1a944f18d02cca0cac2f04f5a982240605f';
const SKIP_ID = '42e93b9bb77d8a73e8412111b8f3d6befab66bf48fdcdefa80bb111819aa0cb1';
const ROOTLESS_META =
  '{"Name":"rootless","Metadata":{"Description":"Rootless mode"},"Endpoints":{"docker":{"Host":"unix:///run/user/1000/docker.sock","SkipTLSVerify":false}}}';
const SKIP_META = '{"Name":"skip","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2376","SkipTLSVerify":true}}}';
const CONFIG = (current: string) => `{\n\t"auths": {},\n\t"currentContext": "${current}"\n}`;

const HOME = { HOME: '/home/ada' };
const D = '/home/ada/.docker';
const contexts = {
  [`${D}/contexts/meta/${ROOTLESS_ID}/meta.json`]: ROOTLESS_META,
  [`${D}/contexts/meta/${SKIP_ID}/meta.json`]: SKIP_META,
};
const files =
  (map: Record<string, string>) =>
  (file: string): string | null =>
    map[file] ?? null;

type Case = [string, Record<string, string>, Record<string, string>, string | null, { url: string; from: string; tls: string | null }];

const CASES: Case[] = [
  ['nothing set: the default socket', HOME, {}, null, { url: 'unix:///var/run/docker.sock', from: 'the default socket', tls: null }],
  [
    '--docker-host beats DOCKER_HOST',
    { ...HOME, DOCKER_HOST: 'tcp://10.0.0.1:2375' },
    {},
    'unix:///tmp/lab/docker.sock',
    { url: 'unix:///tmp/lab/docker.sock', from: '--docker-host', tls: null },
  ],
  [
    'DOCKER_HOST',
    { ...HOME, DOCKER_HOST: 'tcp://127.0.0.1:2375' },
    {},
    'tcp://127.0.0.1:2375',
    { url: 'tcp://127.0.0.1:2375', from: 'DOCKER_HOST', tls: null },
  ],
  [
    'DOCKER_HOST beats DOCKER_CONTEXT and the current context',
    { ...HOME, DOCKER_HOST: 'unix:///tmp/a.sock', DOCKER_CONTEXT: 'skip' },
    { ...contexts, [`${D}/config.json`]: CONFIG('rootless') },
    'unix:///tmp/a.sock',
    { url: 'unix:///tmp/a.sock', from: 'DOCKER_HOST', tls: null },
  ],
  [
    'the current context of ~/.docker/config.json',
    HOME,
    { ...contexts, [`${D}/config.json`]: CONFIG('rootless') },
    null,
    { url: 'unix:///run/user/1000/docker.sock', from: `context "rootless" (${D}/config.json)`, tls: null },
  ],
  [
    'DOCKER_CONTEXT beats the current context',
    { ...HOME, DOCKER_CONTEXT: 'rootless' },
    { ...contexts, [`${D}/config.json`]: CONFIG('skip') },
    null,
    { url: 'unix:///run/user/1000/docker.sock', from: 'context "rootless" (DOCKER_CONTEXT)', tls: null },
  ],
  [
    'DOCKER_CONTEXT=default is the default socket whatever the config says',
    { ...HOME, DOCKER_CONTEXT: 'default' },
    { ...contexts, [`${D}/config.json`]: CONFIG('rootless') },
    null,
    { url: 'unix:///var/run/docker.sock', from: 'context "default" (DOCKER_CONTEXT)', tls: null },
  ],
  [
    'DOCKER_CONFIG moves the folder',
    { ...HOME, DOCKER_CONFIG: '/etc/dc' },
    { '/etc/dc/config.json': CONFIG('rootless'), [`/etc/dc/contexts/meta/${ROOTLESS_ID}/meta.json`]: ROOTLESS_META },
    null,
    { url: 'unix:///run/user/1000/docker.sock', from: 'context "rootless" (/etc/dc/config.json)', tls: null },
  ],
  [
    'a config with no current context',
    HOME,
    { [`${D}/config.json`]: '{"auths":{}}' },
    null,
    { url: 'unix:///var/run/docker.sock', from: 'the default socket', tls: null },
  ],
  [
    'a context that skips TLS verification',
    { ...HOME, DOCKER_CONTEXT: 'skip' },
    contexts,
    null,
    { url: 'tcp://127.0.0.1:2376', from: 'context "skip" (DOCKER_CONTEXT)', tls: 'no-verify' },
  ],
  [
    'DOCKER_TLS_VERIFY with the PEM files of DOCKER_CERT_PATH',
    { ...HOME, DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
    { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' },
    'tcp://127.0.0.1:2376',
    { url: 'tcp://127.0.0.1:2376', from: 'DOCKER_HOST', tls: 'verify' },
  ],
  [
    'DOCKER_TLS_VERIFY with the PEM files of ~/.docker',
    { ...HOME, DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: 'yes' },
    { [`${D}/ca.pem`]: 'CA' },
    'tcp://127.0.0.1:2376',
    { url: 'tcp://127.0.0.1:2376', from: 'DOCKER_HOST', tls: 'verify' },
  ],
  [
    'DOCKER_TLS without verification',
    { ...HOME, DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS: '1' },
    {},
    'tcp://h:2376',
    { url: 'tcp://h:2376', from: 'DOCKER_HOST', tls: 'no-verify' },
  ],
  [
    'DOCKER_TLS_VERIFY does not apply to a unix socket',
    { ...HOME, DOCKER_HOST: 'unix:///run/docker.sock', DOCKER_TLS_VERIFY: '1' },
    {},
    'unix:///run/docker.sock',
    { url: 'unix:///run/docker.sock', from: 'DOCKER_HOST', tls: null },
  ],
];

describe('resolveDockerEndpoint', () => {
  it.each(CASES)('resolveDockerEndpoint: %s', (_name, env, map, explicit, expected) => {
    expect(resolveDockerEndpoint(env, files(map), explicit)).toMatchObject(expected);
  });

  it('resolveDockerEndpoint hands the PEM files of DOCKER_CERT_PATH to dockerode and never a socket path', () => {
    const endpoint = resolveDockerEndpoint(
      { ...HOME, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      files({ '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' }),
      'tcp://127.0.0.1:2376',
    );
    expect(endpoint.options).toMatchObject({ protocol: 'https', host: '127.0.0.1', port: 2376, ca: 'CA', cert: 'CERT', key: 'KEY', socketPath: undefined });
  });

  it('resolveDockerEndpoint reads a context’s TLS material from contexts/tls/<sha256 of name>/docker', () => {
    const tls = `${D}/contexts/tls/${ROOTLESS_ID}/docker`;
    const meta = ROOTLESS_META.replace('unix:///run/user/1000/docker.sock', 'tcp://10.1.2.3:2376');
    const endpoint = resolveDockerEndpoint(
      { ...HOME, DOCKER_CONTEXT: 'rootless' },
      files({ [`${D}/contexts/meta/${ROOTLESS_ID}/meta.json`]: meta, [`${tls}/ca.pem`]: 'CA', [`${tls}/cert.pem`]: 'CERT', [`${tls}/key.pem`]: 'KEY' }),
    );
    expect(endpoint).toMatchObject({
      url: 'tcp://10.1.2.3:2376',
      tls: 'verify',
      options: { protocol: 'https', host: '10.1.2.3', port: 2376, ca: 'CA', cert: 'CERT', key: 'KEY' },
    });
  });

  it('resolveDockerEndpoint gives a unix socket with every TCP and TLS field unset (docker-modem reads the environment too)', () => {
    const endpoint = resolveDockerEndpoint({ ...HOME, DOCKER_CERT_PATH: '/certs' }, files({}), 'unix:///tmp/lab/docker.sock');
    expect(endpoint.options).toEqual({ socketPath: '/tmp/lab/docker.sock', protocol: 'http' });
    for (const key of ['host', 'port', 'ca', 'cert', 'key']) expect(Object.keys(endpoint.options)).toContain(key);
  });

  it.each<[string, Record<string, string>, Record<string, string>, string | null, RegExp]>([
    [
      'a context that does not exist',
      { ...HOME, DOCKER_CONTEXT: 'nope' },
      {},
      null,
      /context "nope" \(DOCKER_CONTEXT\) does not exist: no .*meta\.json .*docker context ls/,
    ],
    ['a config file that is not JSON', HOME, { [`${D}/config.json`]: '{oops' }, null, /cannot read \/home\/ada\/\.docker\/config\.json/],
    [
      'a context file without a docker endpoint',
      { ...HOME, DOCKER_CONTEXT: 'rootless' },
      { [`${D}/contexts/meta/${ROOTLESS_ID}/meta.json`]: '{"Name":"rootless"}' },
      null,
      /has no docker endpoint/,
    ],
    [
      'DOCKER_TLS_VERIFY without ca.pem',
      { ...HOME, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      {},
      'tcp://h:2376',
      /DOCKER_TLS_VERIFY is set but there is no \/certs\/ca\.pem/,
    ],
    [
      'a client certificate without its key',
      { ...HOME, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' },
      { '/c/ca.pem': 'CA', '/c/cert.pem': 'C' },
      'tcp://h:2376',
      /\/c\/key\.pem is missing/,
    ],
    [
      'an ssh:// DOCKER_HOST',
      HOME,
      {},
      'ssh://ada@build-box',
      /cannot use Docker host "ssh:\/\/ada@build-box" \(--docker-host\): proclens reads \/proc, so it must run on the engine’s own host/,
    ],
    [
      'an ssh:// context',
      { ...HOME, DOCKER_CONTEXT: 'rootless' },
      { [`${D}/contexts/meta/${ROOTLESS_ID}/meta.json`]: ROOTLESS_META.replace('unix:///run/user/1000/docker.sock', 'ssh://ada@box') },
      null,
      /cannot use Docker host "ssh:\/\/ada@box" \(context "rootless" \(DOCKER_CONTEXT\)\): proclens reads \/proc/,
    ],
  ])('resolveDockerEndpoint refuses %s with a readable error', (_name, env, map, explicit, message) => {
    expect(() => resolveDockerEndpoint(env, files(map), explicit)).toThrow(message);
  });

  it('the ssh:// refusal says what to do instead', () => {
    expect(SSH_REFUSAL).toMatch(/ssh -L 7700:127\.0\.0\.1:7700 HOST/);
    expect(SSH_REFUSAL).toMatch(/--docker-host/);
  });
});

/**
 * The docker CLI as the reference: contexts made with `docker context create` in a private
 * DOCKER_CONFIG, and for each environment the host `docker context inspect` reports for the
 * context it would use (no engine needed).
 */
describe('resolveDockerEndpoint agrees with the docker CLI', () => {
  let dir = '';
  const certs = () => path.join(dir, 'certs');
  const docker = (env: Record<string, string>, ...args: string[]) =>
    execFileSync('docker', args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: path.join(dir, 'cfg'), ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'proclens-contexts-'));
    // A throw-away CA and client certificate, so that the CLI stores real TLS material.
    execFileSync('bash', [path.resolve(import.meta.dirname, '../../scripts/make-test-certs.sh'), certs()]);
    docker({}, 'context', 'create', 'rootless', '--docker', 'host=unix:///run/user/1000/docker.sock');
    docker({}, 'context', 'create', 'remote-tls', '--docker', `host=tcp://127.0.0.1:2376,ca=${certs()}/ca.pem,cert=${certs()}/cert.pem,key=${certs()}/key.pem`);
    docker({}, 'context', 'create', 'insecure', '--docker', 'host=tcp://127.0.0.1:2377,skip-tls-verify=true');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const envs: [string, Record<string, string>, string | null][] = [
    ['no context chosen', {}, null],
    ['DOCKER_CONTEXT=rootless', { DOCKER_CONTEXT: 'rootless' }, null],
    ['DOCKER_CONTEXT=remote-tls', { DOCKER_CONTEXT: 'remote-tls' }, null],
    ['DOCKER_CONTEXT=default', { DOCKER_CONTEXT: 'default' }, null],
    ['DOCKER_HOST and DOCKER_CONTEXT', { DOCKER_HOST: 'tcp://127.0.0.9:2375', DOCKER_CONTEXT: 'rootless' }, 'tcp://127.0.0.9:2375'],
    ['current context insecure', { CURRENT: 'insecure' }, null],
    ['current context rootless, DOCKER_CONTEXT remote-tls', { CURRENT: 'rootless', DOCKER_CONTEXT: 'remote-tls' }, null],
  ];

  it.each(envs)('with %s proclens uses the host the docker CLI uses', (_name, { CURRENT, ...env }, explicit) => {
    docker({}, 'context', 'use', CURRENT ?? 'default');
    const cli = docker(env, 'context', 'inspect', '--format', '{{.Endpoints.docker.Host}}');
    const ours = readDockerEndpoint(explicit, { PATH: '/usr/bin', HOME: dir, DOCKER_CONFIG: path.join(dir, 'cfg'), ...env });
    expect(ours.url).toBe(cli);
  });

  it('proclens reads the TLS material the docker CLI stored for a context, byte for byte', () => {
    const ours = readDockerEndpoint(null, { HOME: dir, DOCKER_CONFIG: path.join(dir, 'cfg'), DOCKER_CONTEXT: 'remote-tls' });
    expect(ours.tls).toBe('verify');
    expect(ours.options.ca).toBe(readFileSync(path.join(certs(), 'ca.pem'), 'utf8'));
    expect(ours.options.cert).toBe(readFileSync(path.join(certs(), 'cert.pem'), 'utf8'));
    expect(ours.options.key).toBe(readFileSync(path.join(certs(), 'key.pem'), 'utf8'));
    const insecure = readDockerEndpoint(null, { HOME: dir, DOCKER_CONFIG: path.join(dir, 'cfg'), DOCKER_CONTEXT: 'insecure' });
    expect(insecure.tls).toBe('no-verify');
  });
});
