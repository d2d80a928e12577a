/** The part a process plays in the container runtime chain, recognised from its argv. */
export type RuntimeRole = 'dockerd' | 'containerd' | 'shim' | 'runc' | 'docker-init' | 'docker-proxy' | 'conmon';

/** What a shim's argv says about where it belongs. */
export interface ShimArgs {
  /** The container (under Kubernetes, the pod sandbox) the shim serves. */
  id: string | null;
  /** containerd namespace: `moby` for Docker, `k8s.io` for Kubernetes CRI. */
  namespace: string | null;
  /** containerd's socket: the link from a re-parented shim back to its containerd. */
  address: string | null;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Recognises runtime processes by the program name in argv (the kernel's `comm` is cut to 15
 * bytes, so `containerd-shim-runc-v2` shows as `containerd-shim`); falls back to `comm` for
 * processes without argv.
 */
export function parseRuntimeRole(argv: readonly string[], comm: string): RuntimeRole | null {
  const program = basename((argv[0] ?? comm).split(' ')[0] ?? '');
  if (program === 'dockerd') return 'dockerd';
  if (program.startsWith('containerd-shim') || program.startsWith('docker-containerd-shim')) return 'shim';
  if (program === 'containerd' || program === 'docker-containerd') return 'containerd';
  if (program === 'docker-init') return 'docker-init';
  if (program === 'docker-proxy') return 'docker-proxy';
  if (program === 'conmon') return 'conmon';
  if (program === 'runc' || program === 'docker-runc') return 'runc';
  return null;
}

/** Reads a flag given as `-name value`, `--name value` or `--name=value`. */
export function parseFlag(argv: readonly string[], name: string): string | null {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === `-${name}` || arg === `--${name}`) return argv[i + 1] ?? null;
    if (arg.startsWith(`--${name}=`) || arg.startsWith(`-${name}=`)) return arg.slice(arg.indexOf('=') + 1);
  }
  return null;
}

/**
 * Parses a shim's argv for the three layouts seen on Docker hosts:
 * `containerd-shim-runc-v2 -namespace moby -id <id> -address <sock>` (modern),
 * `containerd-shim -namespace moby -workdir …/moby/<id> -address <sock> …` (v1), and
 * `docker-containerd-shim <id> /var/run/docker/libcontainerd/<id> docker-runc` (Docker ≤ 17).
 */
export function parseShimArgs(argv: readonly string[]): ShimArgs {
  const workdir = parseFlag(argv, 'workdir');
  const positional = argv[1] !== undefined && !argv[1].startsWith('-') ? argv[1] : null;
  return {
    id: parseFlag(argv, 'id') ?? (workdir ? basename(workdir) : null) ?? positional,
    namespace: parseFlag(argv, 'namespace'),
    address: parseFlag(argv, 'address'),
  };
}

/**
 * The container a runtime process serves: a shim's `-id` (under Kubernetes, the pod sandbox),
 * or Podman conmon's `-c`/`--cid`. Null for other processes.
 */
export function parseServedContainer(role: RuntimeRole | null, argv: readonly string[]): string | null {
  if (role === 'shim') return parseShimArgs(argv).id;
  if (role === 'conmon') return parseFlag(argv, 'c') ?? parseFlag(argv, 'cid');
  return null;
}
