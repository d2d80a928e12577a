import { gunzipSync, gzipSync } from 'node:zlib';

/** Below this, gzip's header costs more than it saves. */
const COMPRESS_ABOVE_BYTES = 1024;
/** A message never unpacks past this (a compressed bomb from a hostile publisher). */
export const MAX_DECODED_BYTES = 64 << 20;

/**
 * JSON for NATS: gzip when large. Process rows repeat the same keys and paths, so a 1,000-process
 * snapshot shrinks about tenfold and stays well under NATS's default 1 MiB max_payload.
 */
export function encodePayload(json: string): Uint8Array {
  const raw = Buffer.from(json, 'utf8');
  return raw.length > COMPRESS_ABOVE_BYTES ? gzipSync(raw, { level: 6 }) : raw;
}

/** The JSON text of a payload, gzipped or not (gzip's magic bytes tell). Throws on a corrupt or oversized one. */
export function decodePayload(data: Uint8Array): string {
  const gzipped = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  return gzipped ? gunzipSync(data, { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8') : Buffer.from(data).toString('utf8');
}
