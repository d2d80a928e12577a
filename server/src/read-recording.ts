import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RecordingError, RecordingParser } from '@proclens/shared';
import type { ParsedRecording } from '@proclens/shared';

/** A header line longer than this is not a header: the file is something else. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Far above any real snapshot line (~1.5 MB at 5,000 processes), below what a string can hold. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads a recording (gzip or not, told by its first bytes rather than its name) into a history,
 * checking every line. Throws `RecordingError` naming the line for anything wrong, including a
 * gzip stream that stops short; an IO error (missing file, no permission) as it came.
 */
export async function readRecording(file: string): Promise<ParsedRecording> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const raw = createReadStream(file);
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (err) => stream.destroy(err));

  const parser = new RecordingParser();
  let pieces: Buffer[] = [];
  let pending = 0;
  let line = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
        pieces.push(chunk.subarray(from, nl));
        line++;
        parser.push(Buffer.concat(pieces).toString('utf8'));
        pieces = [];
        pending = 0;
        from = nl + 1;
      }
      if (from < chunk.length) {
        pieces.push(chunk.subarray(from));
        pending += chunk.length - from;
        const limit = line === 0 ? MAX_HEADER_BYTES : MAX_LINE_BYTES;
        if (pending > limit) {
          throw new RecordingError(
            line + 1,
            line === 0 ? 'line 1 is not a header: the file is not a proclens recording' : `line ${line + 1} is longer than ${limit} bytes`,
          );
        }
      }
    }
  } catch (err) {
    if (err instanceof RecordingError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw new RecordingError(line + 1, `the gzip stream stops short after line ${line}: the recording is truncated`);
    if (code === 'Z_DATA_ERROR') throw new RecordingError(line + 1, `the gzip stream is corrupt after line ${line}`);
    throw err;
  } finally {
    stream.destroy();
  }
  return parser.finish(Buffer.concat(pieces).toString('utf8'));
}
