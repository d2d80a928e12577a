import { fileURLToPath } from 'node:url';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/** containerd's gRPC methods proclens calls: reads only. Message types are in containerd-api.proto. */
const METHODS = {
  version: ['/containerd.services.version.v1.Version/Version', 'Empty', 'VersionResponse'],
  namespaces: ['/containerd.services.namespaces.v1.Namespaces/List', 'ListNamespacesRequest', 'ListNamespacesResponse'],
  containers: ['/containerd.services.containers.v1.Containers/List', 'ListContainersRequest', 'ListContainersResponse'],
  container: ['/containerd.services.containers.v1.Containers/Get', 'GetContainerRequest', 'GetContainerResponse'],
  tasks: ['/containerd.services.tasks.v1.Tasks/List', 'ListTasksRequest', 'ListTasksResponse'],
} as const;
export type ContainerdMethod = keyof typeof METHODS;

const CALL_TIMEOUT_MS = 3000;
/** A node with hundreds of containers sends each one's OCI spec in a list: allow for that, no more. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

let root: protobuf.Root | undefined;
function types(): protobuf.Root {
  root ??= protobuf.loadSync(fileURLToPath(new URL('./containerd-api.proto', import.meta.url)));
  return root;
}

/**
 * A connection to one containerd socket. `call` decodes the answer into plain objects (int64 as
 * numbers, enums as names, bytes as Buffers) for the parsers to validate; it never throws
 * synchronously, and rejects on any error or after CALL_TIMEOUT_MS.
 */
export class ContainerdClient {
  private readonly client: Client;

  constructor(socketPath: string) {
    this.client = new Client(`unix:${socketPath}`, credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': 64 * 1024,
      'grpc.enable_retries': 0,
    });
  }

  call(method: ContainerdMethod, request: Record<string, unknown>, namespace: string | null = null): Promise<Record<string, unknown>> {
    const [path, requestName, responseName] = METHODS[method];
    const requestType = types().lookupType(`proclens.containerd.${requestName}`);
    const responseType = types().lookupType(`proclens.containerd.${responseName}`);
    const metadata = new Metadata();
    // containerd scopes every call but the namespace list to the namespace in this header.
    if (namespace !== null) metadata.set('containerd-namespace', namespace);
    return new Promise((resolve, reject) => {
      try {
        this.client.makeUnaryRequest(
          path,
          (value: Record<string, unknown>) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
          (bytes: Buffer) =>
            responseType.toObject(responseType.decode(bytes), { longs: Number, enums: String, bytes: Buffer, defaults: true, arrays: true, objects: true }),
          request,
          metadata,
          { deadline: Date.now() + CALL_TIMEOUT_MS },
          (error, value) => (error || !value ? reject(error ?? new Error('empty answer')) : resolve(value)),
        );
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  close(): void {
    this.client.close();
  }
}
