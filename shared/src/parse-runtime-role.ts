/** The part a process plays in the container runtime chain, recognised from its argv. */
export type RuntimeRole = 'dockerd' | 'containerd' | 'shim' | 'runc' | 'docker-init' | 'docker-proxy' | 'conmon' | 'podman' | 'rootlesskit';

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
  if (program === 'podman') return 'podman';
  if (program === 'rootlesskit' || program === 'docker-rootlesskit') return 'rootlesskit';
  // rootlesskit re-executes itself as /proc/self/exe (comm `exe`) with its own flags, inside the namespaces it made.
  if (argv[0] === '/proc/self/exe' && argv.some((a) => a.startsWith('--port-driver=') || a.startsWith('--copy-up='))) return 'rootlesskit';
  if (program === 'runc' || program === 'docker-runc') return 'runc';
  return null;
}

/** Whether a flag without a value (`-e`, `--exec`) is present. */
export function hasFlag(argv: readonly string[], name: string): boolean {
  return argv.some((arg, i) => i > 0 && (arg === `-${name}` || arg === `--${name}`));
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

/** What a Podman conmon's argv says. */
export interface ConmonArgs {
  /** The container (`-c`/`--cid`). */
  container: string | null;
  /** `-e`/`--exec`: this conmon runs a `podman exec` session, not the container itself. */
  exec: boolean;
  /** The container's name (`-n`/`--name`). */
  name: string | null;
  /** Podman's storage root, from the cleanup command it passes (`--exit-command-arg --root --exit-command-arg <dir>`). */
  root: string | null;
}

/**
 * Parses `conmon --api-version 1 -c <id> -u <session> … -n <name> [-e --exec-attach …]
 * --exit-command /usr/bin/podman --exit-command-arg --root --exit-command-arg <dir> …`, as
 * Podman 4 starts it (seen on this machine: one conmon per container, one more per exec session).
 */
export function parseConmonArgs(argv: readonly string[]): ConmonArgs {
  const exitArgs: string[] = [];
  for (let i = 1; i < argv.length; i++) if (argv[i] === '--exit-command-arg') exitArgs.push(argv[i + 1] ?? '');
  const rootAt = exitArgs.indexOf('--root');
  return {
    container: parseFlag(argv, 'c') ?? parseFlag(argv, 'cid'),
    exec: hasFlag(argv, 'e') || hasFlag(argv, 'exec'),
    name: parseFlag(argv, 'n') ?? parseFlag(argv, 'name'),
    root: rootAt >= 0 ? (exitArgs[rootAt + 1] ?? null) : null,
  };
}

/**
 * The container a runtime process serves: a shim's `-id` (under Kubernetes, the pod sandbox),
 * or Podman conmon's `-c`/`--cid`. Null for other processes.
 */
export function parseServedContainer(role: RuntimeRole | null, argv: readonly string[]): string | null {
  if (role === 'shim') return parseShimArgs(argv).id;
  if (role === 'conmon') return parseConmonArgs(argv).container;
  return null;
}
