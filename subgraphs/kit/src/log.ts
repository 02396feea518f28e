/** Minimal structured logger (one JSON object per line on stderr) until the observability work. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const write = (level: string, service: string, msg: string, fields: Record<string, unknown> = {}): void => {
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
