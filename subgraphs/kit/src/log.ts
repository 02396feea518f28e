/** Minimal structured logger: one JSON object per line on stderr, filtered by LOG_LEVEL (default info). */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
const threshold = LEVELS[(process.env.LOG_LEVEL as keyof typeof LEVELS) ?? 'info'] ?? LEVELS.info;

const write = (level: 'info' | 'error', service: string, msg: string, fields: Record<string, unknown> = {}): void => {
  if (LEVELS[level] < threshold) return;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields })}\n`);
};

export function createLogger(service: string): Logger {
  return {
    info: (msg, fields) => write('info', service, msg, fields),
    error: (msg, fields) => write('error', service, msg, fields),
  };
}

/** Error details for the log only (never for clients). */
export const describeError = (err: unknown): Record<string, unknown> =>
  err instanceof Error ? { err: { name: err.name, message: err.message, stack: err.stack } } : { err: String(err) };
