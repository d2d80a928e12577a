import type { z } from 'zod';
import { formatIssue } from './format-issue.ts';
import { History } from './history.ts';
import { processInfoSchema } from './model.ts';
import type { ProcessInfo } from './model.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import {
  RECORDING_FORMAT,
  recordingDiffLineSchema,
  recordingEndLineSchema,
  recordingEventLineSchema,
  recordingHeaderSchema,
  recordingSnapshotLineSchema,
} from './recording.ts';
import type { RecordingHeader } from './recording.ts';
import { sameData } from './same-data.ts';

/** What is wrong with a recording, and on which line (1-based). */
export class RecordingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'RecordingError';
  }
}

export interface ParsedRecording {
  header: RecordingHeader;
  history: History;
  /** Lines read, header and end line included. */
  lines: number;
}

const NOT_A_RECORDING = 'is not a proclens recording (its first line must be {"kind":"header","format":…})';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a recording one line at a time into a `History`, checking every line as it goes, so a bad
 * file is refused whole, before anything is served. Throws `RecordingError` naming the line.
 * Pure: the caller reads the file (and unzips it) and hands over the lines.
 */
export class RecordingParser {
  private line = 0;
  private header: RecordingHeader | null = null;
  private readonly history = new History();
  private ended = false;
  private lastAt = 0;

  /** One complete line, without its newline. */
  push(text: string): void {
    this.line++;
    if (this.line === 1) {
      this.header = this.parseHeader(text);
      this.lastAt = this.header.startedAt;
      return;
    }
    if (text.trim() === '') throw this.fail('is empty');
    if (this.ended) throw this.fail('comes after the end line');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.fail('is not JSON');
    }
    const kind = isRecord(json) ? json.kind : undefined;
    switch (kind) {
      case 'snapshot':
        return this.pushSnapshot(json);
      case 'diff': {
        const line = this.check(recordingDiffLineSchema, json);
        this.checkTime(line.at, line.diff.takenAt);
        if (this.history.size === 0) throw this.fail('is a diff before the first snapshot');
        return this.history.addDiff(line.diff);
      }
      case 'event': {
        const line = this.check(recordingEventLineSchema, json);
        this.checkTime(line.at, line.event.at);
        return this.history.addEvents([line.event]);
      }
      case 'end': {
        const line = this.check(recordingEndLineSchema, json);
        this.checkTime(line.at, line.at);
        this.ended = true;
        // The recording lasts until its end line, even when the host was idle since the last change.
        const end = this.history.end;
        if (end !== null && line.at > end) this.history.addDiff({ upserted: [], removed: [], containers: null, host: null, takenAt: line.at });
        return;
      }
      default:
        throw this.fail(`has an unknown kind ${JSON.stringify(kind) ?? '(none)'}: expected snapshot, diff, event or end`);
    }
  }

  /**
   * After the last line. `rest` is whatever followed the last newline: anything there, or a
   * missing end line, means the file was cut short.
   */
  finish(rest = ''): ParsedRecording {
    if (rest.trim() !== '') {
      throw new RecordingError(this.line + 1, `line ${this.line + 1} is cut off: the recording is truncated`);
    }
    if (!this.header) throw new RecordingError(1, `the file is empty: it ${NOT_A_RECORDING}`);
    if (!this.ended) {
      throw new RecordingError(
        this.line,
        `the recording stops after line ${this.line} without its end line: it is truncated (the recorder did not finish writing it)`,
      );
    }
    if (this.history.size === 0) throw new RecordingError(this.line, 'the recording holds no snapshot');
    return { header: this.header, history: this.history, lines: this.line };
  }

  private parseHeader(text: string): RecordingHeader {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RecordingError(1, `line 1 is not JSON: the file ${NOT_A_RECORDING}`);
    }
    if (!isRecord(json) || json.kind !== 'header') throw new RecordingError(1, `line 1 is not a header: the file ${NOT_A_RECORDING}`);
    const recorder = typeof json.recorder === 'string' ? ` (written by ${json.recorder.slice(0, 64)})` : '';
    if (json.format !== RECORDING_FORMAT) {
      throw new RecordingError(
        1,
        `line 1: the recording is in format ${JSON.stringify(json.format)}${recorder}; this proclens reads format ${RECORDING_FORMAT}`,
      );
    }
    if (json.protocol !== PROTOCOL_VERSION) {
      throw new RecordingError(
        1,
        `line 1: the recording holds protocol ${JSON.stringify(json.protocol)} snapshots${recorder}; this proclens reads protocol ${PROTOCOL_VERSION}`,
      );
    }
    const parsed = recordingHeaderSchema.safeParse(json);
    if (!parsed.success) throw new RecordingError(1, `line 1: ${formatIssue(parsed.error, 'header')}`);
    return parsed.data;
  }

  /** Rows equal to the one held for their pid are that row, already checked; the others are checked here. */
  private pushSnapshot(json: unknown): void {
    const line = this.check(recordingSnapshotLineSchema, json);
    this.checkTime(line.at, line.snapshot.takenAt);
    const processes: ProcessInfo[] = [];
    line.snapshot.processes.forEach((raw, index) => {
      const held = isRecord(raw) && typeof raw.pid === 'number' ? this.history.latestRow(raw.pid) : undefined;
      if (held !== undefined && sameData(held, raw)) return void processes.push(held);
      const row = processInfoSchema.safeParse(raw);
      if (!row.success) throw this.fail(`: snapshot.processes.${index}.${formatIssue(row.error, 'row')}`);
      processes.push(row.data);
    });
    this.history.addSnapshot({ ...line.snapshot, processes });
  }

  private check<T>(schema: z.ZodType<T>, json: unknown): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw this.fail(`: ${formatIssue(parsed.error, 'line')}`);
    return parsed.data;
  }

  private checkTime(at: number, takenAt: number): void {
    if (at !== takenAt) throw this.fail(`: "at" (${at}) differs from the time inside (${takenAt})`);
    if (at < this.lastAt) throw this.fail(`goes back in time (${new Date(at).toISOString()} after ${new Date(this.lastAt).toISOString()})`);
    this.lastAt = at;
  }

  private fail(what: string): RecordingError {
    return new RecordingError(this.line, what.startsWith(':') ? `line ${this.line}${what}` : `line ${this.line} ${what}`);
  }
}
