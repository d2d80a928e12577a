/** A listening unix socket from `/proc/net/unix`. */
export interface UnixListener {
  inode: number;
  path: string;
}

const ACCEPT_CONNECTIONS = 0x10000; // __SO_ACCEPTCON in the Flags column
const SS_UNCONNECTED = '01';
const UNIX_LINE = /^\s*\S+:\s+\S+\s+\S+\s+([0-9A-Fa-f]+)\s+\S+\s+(\S+)\s+(\d+)(?: (.*))?$/;

/**
 * Parses `/proc/net/unix` (`Num RefCount Protocol Flags Type St Inode Path`) and keeps the
 * listening sockets that have a path: those are what a shim's `-address` names.
 */
export function parseProcNetUnix(text: string): UnixListener[] {
  const listeners: UnixListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    // The path is everything after the seventh column: it may itself contain spaces.
    const cols = UNIX_LINE.exec(line);
    if (!cols) continue;
    const [, flagsHex = '', state = '', inodeText = '', path = ''] = cols;
    const inode = Number(inodeText);
    if ((parseInt(flagsHex, 16) & ACCEPT_CONNECTIONS) === 0 || state !== SS_UNCONNECTED) continue;
    if (!path.startsWith('/') || !Number.isSafeInteger(inode)) continue;
    listeners.push({ inode, path });
  }
  return listeners;
}

/** Parses the target of a `/proc/PID/fd/N` link: `socket:[12345]` → 12345, else null. */
export function parseSocketInode(link: string): number | null {
  const match = /^socket:\[(\d+)\]$/.exec(link);
  return match ? Number(match[1]) : null;
}
