import { closeSync, constants, openSync, readSync } from 'node:fs';

/** What a failed read means, as negative lengths (no allocation on the scanner's hot path). */
export const READ_GONE = -1;
export const READ_DENIED = -2;
export const READ_FAILED = -3;

const INITIAL_BYTES = 64 * 1024;

function failure(err: unknown): number {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR') return READ_GONE;
  return code === 'EACCES' || code === 'EPERM' ? READ_DENIED : READ_FAILED;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads small /proc files into one reused buffer with open/read/close: three system calls and no
 * allocation per file, where readFileSync makes five (open, fstat, read, a read to see the end,
 * close) and a new Buffer each time. bench:scan measured it as the largest saving of the scanner.
 * The buffer grows (doubling) for a larger file, such as a 100 KB command line, and stays grown.
 */
export class ProcFileReader {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Files opened so far: how the scanner's tests count what a tick read. */
  opened = 0;

  /** The buffer the last read filled; valid until the next read. */
  get buffer(): Buffer {
    return this.bytes;
  }

  /**
   * Reads `path` whole; returns its length, or READ_GONE / READ_DENIED / READ_FAILED. `oneRead`:
   * a seq_file such as stat, status or cgroup arrives complete in the first read() when it fits,
   * so the read that would return 0 is skipped; cmdline and environ are not seq_files.
   */
  read(path: string, oneRead: boolean): number {
    let fd: number;
    this.opened++;
    try {
      // A number, not 'r': Node parses a flags string on every call.
      fd = openSync(path, constants.O_RDONLY);
    } catch (err) {
      return failure(err);
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.bytes.length) {
          const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
          this.bytes.copy(bigger, 0, 0, length);
          this.bytes = bigger;
        }
        const got = readSync(fd, this.bytes, length, this.bytes.length - length, null);
        if (got === 0) break;
        length += got;
        if (oneRead && length < this.bytes.length) break;
      }
      return length;
    } catch (err) {
      return failure(err);
    } finally {
      closeSync(fd);
    }
  }

  /** The first `length` bytes of the last read as text; invalid UTF-8 becomes U+FFFD. */
  text(length: number): string {
    return utf8.decode(this.bytes.subarray(0, length));
  }

  /** The same as ASCII-compatible Latin-1: for files whose bytes that matter are ASCII (status). */
  latin1(length: number): string {
    return this.bytes.toString('latin1', 0, length);
  }
}

/** Decodes bytes as the readers do (invalid UTF-8 as U+FFFD): the decoder parseStatBytes takes. */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
