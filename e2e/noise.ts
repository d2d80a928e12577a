import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { killGroup, spawnGroup, spawnSleepers } from '../scripts/spawn-sleepers.ts';
import { DOCKER_HOST, LAB_DIR } from './lab.ts';

const run = promisify(execFile);
const CTR = ['-a', `${LAB_DIR}/exec/containerd/containerd.sock`, '-n', 'k8s.io'];
/** The second engine's container: bare containerd, as on a Kubernetes node (`ctr`, namespace k8s.io). */
export const SECOND_ENGINE_TASK = 'proclens-noise';

export interface Noise {
  /** The 800 identical sleepers, all children of one shell: one `800*[sleep]` group. */
  sleeperPids(): number[];
  stop(): Promise<void>;
}

async function ctr(...args: string[]): Promise<string> {
  const { stdout } = await run('ctr', [...CTR, ...args], { timeout: 60_000 });
  return stdout;
}

/** `docker save redis:alpine | ctr images import -`, then a task from it, detached. */
async function startSecondEngine(): Promise<void> {
  await stopSecondEngine();
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', 'redis:alpine'], { env: { ...process.env, DOCKER_HOST }, stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('ctr', [...CTR, 'images', 'import', '-'], { stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(load.stdin);
    load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ctr images import exited ${code}`))));
  });
  const task = spawn(
    'ctr',
    [...CTR, 'run', '-d', '--env', 'PATH=/bin:/usr/local/bin', 'docker.io/library/redis:alpine', SECOND_ENGINE_TASK, 'redis-server', '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((resolve) => task.once('exit', resolve));
}

async function stopSecondEngine(): Promise<void> {
  await ctr('tasks', 'kill', '-s', 'KILL', SECOND_ENGINE_TASK).catch(() => '');
  for (let i = 0; i < 20; i++) {
    if (
      await ctr('tasks', 'rm', SECOND_ENGINE_TASK).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await ctr('containers', 'rm', SECOND_ENGINE_TASK).catch(() => '');
}

/**
 * A host made noisy on purpose, as a workshop machine is: 800 identical sleepers under one
 * shell, sleepers born and dying all the time (60 a second, 2 s each), shells that each run a
 * child (drawn as their own nodes, so rows come and go), and a second engine's container.
 * Everything is killed by process group (never by name), also when the test fails.
 */
export async function makeNoise(): Promise<Noise> {
  const sleepers = await spawnSleepers(800, { batchSize: 800, seconds: 1200 });
  const churn = sleepers.churn(60, 2);
  const shells = spawnGroup('bash', ['-c', 'while :; do for i in 1 2 3; do sh -c "sleep 1.$((RANDOM % 9))" & done; sleep 0.25; done'], { stdio: 'ignore' });
  await startSecondEngine();
  return {
    sleeperPids: () => sleepers.pids(),
    stop: async () => {
      churn.stop();
      killGroup(shells.pgid);
      sleepers.kill();
      await stopSecondEngine();
    },
  };
}
