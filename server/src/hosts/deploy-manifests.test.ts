import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCli } from '../parse-cli.ts';

/**
 * The deployment files, read as Kubernetes and Compose would read them, checked for what matters:
 * the agent sees the node's processes and only reads the runtime socket, nothing runs without
 * limits, the hub runs without root or privilege, every file names the same image, and each
 * command is one the CLI accepts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const K8S = path.join(ROOT, 'deploy/kubernetes');

type Doc = Record<string, unknown>;
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  hostPID?: boolean;
  hostNetwork?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: { name: string; hostPath?: { path: string; type?: string } }[];
}

function readYaml(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) expect(doc.errors, file).toEqual([]);
  return docs.map((d) => d.toJS() as Doc).filter(Boolean);
}

const manifests = readdirSync(K8S)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => readYaml(path.join(K8S, f)).map((doc) => ({ file: f, doc })));
const byKind = (kind: string, name: string): Doc => {
  const found = manifests.find(({ doc }) => doc.kind === kind && (doc.metadata as { name?: string }).name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found.doc;
};
const podOf = (doc: Doc): PodSpec => (doc.spec as { template: { spec: PodSpec } }).template.spec;
const agent = podOf(byKind('DaemonSet', 'proclens-agent'));
const hub = podOf(byKind('Deployment', 'proclens-hub'));
const compose = readYaml(path.join(ROOT, 'deploy/compose/docker-compose.yml'))[0] as { services: Record<string, Record<string, unknown>> };
const rootCompose = readYaml(path.join(ROOT, 'docker-compose.yml'))[0] as { services: Record<string, Record<string, unknown>> };

/** The proclens arguments of a container's command: what follows `server/src/main.ts`, with `${NODE_NAME%%.*}` as a node would give it. */
function proclensArgs(command: readonly string[]): string[] {
  const line = command[0] === 'sh' ? (command[2] ?? '') : command.join(' ');
  const after = line.split('server/src/main.ts')[1] ?? '';
  return after
    .replace(/"\$\{NODE_NAME%%\.\*\}"/, 'ip-10-0-1-17')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

describe('deploy/kubernetes', () => {
  it('the agent runs in the node’s pid namespace, not its network, with the runtime socket read-only', () => {
    expect(agent.hostPID).toBe(true);
    expect(agent.hostNetwork ?? false).toBe(false);
    const [container] = agent.containers;
    const mount = container?.volumeMounts?.find((m) => m.mountPath === '/var/run/docker.sock');
    expect(mount?.readOnly).toBe(true);
    const volume = agent.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.hostPath).toEqual({ path: '/var/run/docker.sock', type: 'Socket' });
    // Every hostPath is mounted read-only.
    for (const v of agent.volumes?.filter((x) => x.hostPath) ?? []) {
      expect(
        agent.containers
          .flatMap((c) => c.volumeMounts ?? [])
          .filter((m) => m.name === v.name)
          .every((m) => m.readOnly === true),
        v.name,
      ).toBe(true);
    }
  });

  it('the agent is root only with the capabilities reading /proc needs, and writes nothing', () => {
    const security = agent.containers[0]?.securityContext;
    expect(security).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(security?.privileged ?? false).toBe(false);
    expect(security?.capabilities?.drop).toEqual(['ALL']);
    expect(security?.capabilities?.add?.sort()).toEqual(['DAC_READ_SEARCH', 'SYS_PTRACE']);
  });

  it('the hub runs as a non-root user with no capability and a read-only root', () => {
    expect(hub.hostPID ?? false).toBe(false);
    expect(hub.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(hub.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(hub.containers[0]?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('every container has CPU and memory requests and limits', () => {
    for (const container of [...agent.containers, ...hub.containers]) {
      for (const kind of ['requests', 'limits'] as const) {
        expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${container.name} ${kind}`).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('the NATS address with its password comes from a Secret, never from a literal or an argument', () => {
    for (const container of [...agent.containers, ...hub.containers]) {
      const nats = container.env?.find((e) => e.name === 'PROCLENS_NATS');
      expect(nats?.value).toBeUndefined();
      expect(nats?.valueFrom).toEqual({ secretKeyRef: { name: 'proclens-nats', key: 'url' } });
      expect(JSON.stringify(container.command ?? [])).not.toMatch(/nats:\/\//);
    }
  });

  it('each command is one the CLI accepts: an agent named after the node, a hub on every interface', () => {
    // Each container's own literal environment, and the Secret's URL as Kubernetes would fill it in.
    const envOf = (c: Container | undefined): Record<string, string> => ({
      ...Object.fromEntries((c?.env ?? []).flatMap((e) => (e.value !== undefined ? [[e.name, e.value]] : []))),
      PROCLENS_NATS: 'nats://proclens:pw@nats:4222',
    });
    const agentCli = parseCli(proclensArgs(agent.containers[0]?.command ?? []), envOf(agent.containers[0]));
    expect(agentCli).toMatchObject({
      kind: 'run',
      settings: { command: 'agent', name: 'ip-10-0-1-17', port: null, dockerHost: 'unix:///var/run/docker.sock' },
    });
    const hubCli = parseCli(proclensArgs(hub.containers[0]?.command ?? []), envOf(hub.containers[0]));
    expect(hubCli).toMatchObject({ kind: 'run', settings: { command: 'hub', host: '0.0.0.0', port: 7700 } });
  });

  it('the Service reaches the hub’s pods and port', () => {
    const service = byKind('Service', 'proclens-hub').spec as { selector: Record<string, string>; ports: { targetPort: string }[] };
    const labels = (byKind('Deployment', 'proclens-hub').spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(labels).toMatchObject(service.selector);
    expect(hub.containers[0]?.volumeMounts).toBeDefined();
    expect(service.ports[0]?.targetPort).toBe('http');
  });

  it('every image is the same proclens image, in Kubernetes and in both Compose files', () => {
    const images = new Set([
      ...agent.containers.map((c) => c.image),
      ...hub.containers.map((c) => c.image),
      String(compose.services.hub?.image),
      String(rootCompose.services.proclens?.image),
    ]);
    expect([...images]).toEqual(['proclens:local']);
  });

  it('kustomization lists every manifest, and NATS comes from the official chart with JetStream on', () => {
    const kustomization = readYaml(path.join(K8S, 'kustomization.yaml'))[0] as { resources: string[] };
    expect(kustomization.resources.sort()).toEqual(['agent-daemonset.yaml', 'hub-deployment.yaml', 'namespace.yaml']);
    const values = readYaml(path.join(K8S, 'nats-values.yaml'))[0] as { config: { jetstream: { enabled: boolean } } };
    expect(values.config.jetstream.enabled).toBe(true);
    expect(readFileSync(path.join(K8S, 'nats-values.yaml'), 'utf8')).toContain('helm install nats nats/nats');
  });
});

describe('deploy/compose', () => {
  it('runs nats-server with JetStream and a password, and the hub without privilege on loopback only', () => {
    const nats = compose.services.nats as { command: string[] };
    expect(nats.command).toEqual(expect.arrayContaining(['-js', '--user', '--pass']));
    const hubService = compose.services.hub as { user: string; read_only: boolean; cap_drop: string[]; ports: string[]; command: string[] };
    expect(hubService.user).not.toMatch(/^0(:|$)|^root/);
    expect(hubService.read_only).toBe(true);
    expect(hubService.cap_drop).toEqual(['ALL']);
    expect(hubService.ports.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
    expect(parseCli(proclensArgs(hubService.command), { PROCLENS_NATS: 'nats://proclens:x@nats:4222' })).toMatchObject({
      kind: 'run',
      settings: { command: 'hub' },
    });
  });
});

describe('docs/many-hosts.md', () => {
  it('gives the Swarm command: a global service with the host’s /proc and the socket read-only, the same image', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/many-hosts.md'), 'utf8');
    const swarm = /```sh\n(docker service create --mode global[\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(swarm).toContain('src=/proc,dst=/host/proc,readonly');
    expect(swarm).toContain('src=/var/run/docker.sock,dst=/var/run/docker.sock,readonly');
    expect(swarm).toMatch(/proclens:local node --import tsx server\/src\/main.ts agent/);
    const args = swarm.split('server/src/main.ts')[1]?.replace(/\\\n/g, ' ').trim().split(/\s+/) ?? [];
    expect(parseCli(args, {})).toMatchObject({ kind: 'run', settings: { command: 'agent', procRoot: '/host/proc' } });
  });
});
