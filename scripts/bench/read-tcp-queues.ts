/**
 * TCP connections on 127.0.0.1 as the kernel sees them (/proc/net/tcp): how much a slow client's
 * connection holds in the server's send queue and the client's receive queue, and its state.
 */
import { readFileSync } from 'node:fs';

/** One row of /proc/net/tcp: queues (bytes) and state, by local and remote port on 127.0.0.1. */
export interface TcpRow {
  localPort: number;
  remotePort: number;
  state: string;
  txQueue: number;
  rxQueue: number;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
};

export function readTcpRows(): TcpRow[] {
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const f = line.trim().split(/\s+/);
      const [, localPort = '0'] = (f[1] ?? '').split(':');
      const [, remotePort = '0'] = (f[2] ?? '').split(':');
      const [tx = '0', rx = '0'] = (f[4] ?? '').split(':');
      return {
        localPort: parseInt(localPort, 16),
        remotePort: parseInt(remotePort, 16),
        state: TCP_STATES[f[3] ?? ''] ?? f[3] ?? '?',
        txQueue: parseInt(tx, 16),
        rxQueue: parseInt(rx, 16),
      };
    });
}

/** The slow connection as the kernel sees it: what the server queued and the client left unread. */
export function readConnection(serverPort: number, clientPort: number): { serverSide: TcpRow | null; clientSide: TcpRow | null } {
  const rows = readTcpRows();
  return {
    serverSide: rows.find((r) => r.localPort === serverPort && r.remotePort === clientPort) ?? null,
    clientSide: rows.find((r) => r.localPort === clientPort && r.remotePort === serverPort) ?? null,
  };
}
