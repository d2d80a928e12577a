/** One JSON line per event on stderr; `debug` only with `--verbose`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether a level is written: callers skip building costly fields otherwise. */
  enabled(level: Level): boolean;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export function createLogger(minimum: Level, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    enabled: (level) => LEVELS.indexOf(level) >= LEVELS.indexOf(minimum),
  };
}
