export { parseStat, PF_KTHREAD } from './parse-stat.ts';
export type { Stat } from './parse-stat.ts';
export { parseStatBytes } from './parse-stat-bytes.ts';
export { parseStatusIds } from './parse-status-ids.ts';
export type { StatusIds } from './parse-status-ids.ts';
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
export { parseRuntimeRole, parseShimArgs, parseFlag, hasFlag, parseConmonArgs, parseServedContainer } from './parse-runtime-role.ts';
export type { RuntimeRole, ShimArgs, ConmonArgs } from './parse-runtime-role.ts';
export { buildLogicalParents } from './build-logical-parents.ts';
export type { RuntimeProcess } from './build-logical-parents.ts';
export { buildTree } from './build-tree.ts';
export type { TreeNode, TreeOptions, TreeView } from './build-tree.ts';
export { attachContainerPids } from './attach-container-pids.ts';
export { buildServedQuery, buildServedAttribution } from './build-served-attribution.ts';
export type { ServedProcess } from './build-served-attribution.ts';
export { buildProcContainers } from './build-proc-containers.ts';
export { buildContainerdEndpoints } from './build-containerd-endpoints.ts';
export type { ContainerdEndpoint } from './build-containerd-endpoints.ts';
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
export { buildTimelineEvents } from './build-timeline-events.ts';
export { timelineEventSchema, timelineEventKindSchema, isContainerEvent } from './timeline-event.ts';
export type { TimelineEvent, TimelineEventKind } from './timeline-event.ts';
export { sharedViewSchema, MAX_SHARED_FOLDS, MAX_SHARED_GROUPS } from './shared-view.ts';
export type { SharedView } from './shared-view.ts';
export { PLAYBACK_SPEEDS, playbackSpeedSchema, playbackStateSchema, findPlayhead, reducePlayClock, buildPlaybackState } from './playback.ts';
export type { PlaybackSpeed, PlaybackState, PlayClock, PlaybackAction, PlayBounds } from './playback.ts';
export { History } from './history.ts';
export type { HistoryOptions } from './history.ts';
export { RECORDING_FORMAT, recordingHeaderSchema, recordingLineSchema } from './recording.ts';
export type { RecordingHeader, RecordingLine } from './recording.ts';
export { RecordingParser, RecordingError } from './parse-recording.ts';
export type { ParsedRecording } from './parse-recording.ts';
export { buildRecordedDetail } from './build-recorded-detail.ts';
export { isKeyframeDue, KEYFRAME_MIN_GAP_MS, KEYFRAME_MAX_GAP_MS, KEYFRAME_DIFF_SHARE } from './is-keyframe-due.ts';
export type { SinceKeyframe } from './is-keyframe-due.ts';
export { formatIssue } from './format-issue.ts';
export {
  PROTOCOL_VERSION,
  MAX_CLIENT_FRAME_BYTES,
  MAX_TIMELINE_EVENTS,
  MAX_MARKERS,
  serverMessageSchema,
  clientMessageSchema,
  snapshotDiffSchema,
  parseServerMessage,
  parseClientMessage,
} from './protocol.ts';
export type { ServerMessage, ClientMessage, SnapshotDiff, Parsed } from './protocol.ts';
export {
  STATE_STREAM,
  DIFF_STREAM,
  STATE_SUBJECTS,
  DIFF_SUBJECTS,
  DIFFS_KEPT_PER_HOST,
  MAX_DIFFS_PER_SNAPSHOT,
  SNAPSHOT_REFRESH_MS,
  STATE_MAX_AGE_MS,
  DIFF_MAX_AGE_MS,
  HOST_NAME,
  buildStateSubject,
  buildDiffSubject,
  buildRpcSubject,
  parseSubjectHost,
  buildHostName,
} from './host-subjects.ts';
export type { StateKind } from './host-subjects.ts';
export {
  hostSnapshotMessageSchema,
  hostDiffMessageSchema,
  hostBeatMessageSchema,
  hostMessageSchema,
  hostRequestSchema,
  hostReplySchema,
  hostSummarySchema,
  hostSummariesSchema,
  hubStatusSchema,
  hostMatchSchema,
  hostMatchesSchema,
  parseHostMessage,
} from './host-protocol.ts';
export type {
  HostMessage,
  HostSnapshotMessage,
  HostDiffMessage,
  HostBeatMessage,
  HostRequest,
  HostReply,
  HostSummary,
  HubStatus,
  HostMatch,
} from './host-protocol.ts';
export { applyHostMessage, emptyHostEntry, noteHostProblem, isHostBehind, MAX_PENDING_DIFFS, DEFAULT_BEAT_MS } from './apply-host-message.ts';
export type { HostEntry } from './apply-host-message.ts';
export { buildHostSummary, buildHostSummaries, isHostStale, staleAfterMs, MISSED_BEATS_FOR_STALE, LISTED_CONTAINERS } from './build-host-summary.ts';
export { searchHosts, MAX_HOST_MATCHES } from './search-hosts.ts';
export { planPublish, initialPublishState, MAX_IN_FLIGHT } from './plan-publish.ts';
export type { PublishState, PublishPlan } from './plan-publish.ts';
