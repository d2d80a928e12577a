export { parseStat, PF_KTHREAD } from './parse-stat.ts';
export type { Stat } from './parse-stat.ts';
export { parseStatus } from './parse-status.ts';
export type { Status } from './parse-status.ts';
export { parseNulList, parseCmdline } from './parse-nul-list.ts';
export { parseEnviron, parseEnvEntry } from './parse-environ.ts';
export type { EnvVar, EnvironState } from './parse-environ.ts';
export { parseCgroup } from './parse-cgroup.ts';
export type { CgroupLine } from './parse-cgroup.ts';
export { containerFromCgroup } from './container-from-cgroup.ts';
export type { CgroupContainer, ContainerRuntime } from './container-from-cgroup.ts';
export { parseProcNetUnix, parseSocketInode } from './parse-proc-net-unix.ts';
export type { UnixListener } from './parse-proc-net-unix.ts';
export { parseRuntimeRole, parseShimArgs, parseFlag, parseServedContainer } from './parse-runtime-role.ts';
export type { RuntimeRole, ShimArgs } from './parse-runtime-role.ts';
export { buildLogicalParents } from './build-logical-parents.ts';
export type { RuntimeProcess } from './build-logical-parents.ts';
export { buildTree } from './build-tree.ts';
export type { TreeNode, TreeOptions, TreeView } from './build-tree.ts';
export { attachContainerPids } from './attach-container-pids.ts';
export { maskEnvironment, maskValue, isSecretName, isSecretVar, findSecrets } from './mask-environment.ts';
export { MASK } from './secret-span.ts';
export type { SecretKind, SecretSpan } from './secret-span.ts';
export { buildContainerDetail } from './build-container-detail.ts';
export type { ContainerConfig } from './build-container-detail.ts';
export { diffSnapshots } from './diff-snapshots.ts';
export { applyDiff } from './apply-diff.ts';
export { sameData } from './same-data.ts';
export { stabiliseMetrics } from './stabilise-metrics.ts';
export { processInfoSchema, containerInfoSchema, hostInfoSchema, engineStatusSchema, engineKindSchema, snapshotSchema, runtimeRoleSchema } from './model.ts';
export type { ProcessInfo, ContainerInfo, HostInfo, EngineStatus, EngineKind, Snapshot } from './model.ts';
export { processDetailSchema, containerDetailSchema, environViewSchema, envVarViewSchema } from './detail.ts';
export type { ProcessDetail, ContainerDetail, EnvironView, EnvVarView } from './detail.ts';
export {
  PROTOCOL_VERSION,
  MAX_CLIENT_FRAME_BYTES,
  serverMessageSchema,
  clientMessageSchema,
  snapshotDiffSchema,
  parseServerMessage,
  parseClientMessage,
} from './protocol.ts';
export type { ServerMessage, ClientMessage, SnapshotDiff, Parsed } from './protocol.ts';
