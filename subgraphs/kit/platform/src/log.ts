import { pino, stdTimeFunctions, type DestinationStream } from 'pino';

/**
 * Structured logs: one JSON object per line on stderr (pino), filtered by LOG_LEVEL (default info),
 * every line with the service that wrote it. Fields pass through `redact` first, so national
 * numbers and access tokens never reach a log, whatever an error message happens to quote.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Field names whose values are secrets or personal data, at any depth. */
const SECRET_KEYS =
  /^(authorization|cookie|token|access_?token|id_?token|password|secret|subgraph_?secret|x-gateway-credential|api_?key|x-api-key|insz|national_?number)$/i;
/** A national number (INSZ) with or without separators: 85.07.30-001.23, 85 07 30 001 23, 85073000123. */
const INSZ = /(?<!\d)\d{2}[. ]?\d{2}[. ]?\d{2}[- ]?\d{3}[. ]?\d{2}(?!\d)/g;
/** A JWT (three base64url parts, the first a JSON header) or any bearer credential. */
const TOKEN = /\beyJ[\w-]*\.[\w-]+\.[\w-]*|\bBearer\s+[\w.~+/-]+=*/gi;

/**
 * An API key (mgk_<id>_<secret>), anywhere, and the value of an api_key query parameter: GET
 * /tables/* accepts a key in the URL, and a URL is what request logs quote.
 */
const API_KEY = /\bmgk_[\w-]+|([?&]api_key=)[^&\s"]*/gi;

const redactText = (text: string): string =>
  text
    .replace(API_KEY, (_match, parameter?: string) => `${parameter ?? ''}[REDACTED API KEY]`)
    .replace(TOKEN, '[REDACTED TOKEN]')
    .replace(INSZ, '[REDACTED INSZ]');

/** A copy of `value` with secrets and national numbers replaced (depth-limited, cycle-safe). */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[Truncated]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, SECRET_KEYS.test(key) ? '[REDACTED]' : redact(v, depth + 1, seen)]),
  );
}

/** The process's root logger; tests may hand in their own destination to read what was written. */
export function createRootLogger(
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
  level: string = process.env.LOG_LEVEL || 'info',
) {
  return pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redact(fields) as Record<string, unknown>,
      },
    },
    destination,
  );
}

let root: ReturnType<typeof createRootLogger> | undefined;

export function createLogger(service: string, base = (root ??= createRootLogger())): Logger {
  const child = base.child({ service });
  // Messages are redacted too (pino's formatters only see the fields).
  return {
    info: (msg, fields) => child.info(fields ?? {}, redactText(msg)),
    warn: (msg, fields) => child.warn(fields ?? {}, redactText(msg)),
    error: (msg, fields) => child.error(fields ?? {}, redactText(msg)),
  };
}

/** Error details for the log only (never for clients). */
export const describeError = (err: unknown): Record<string, unknown> =>
  err instanceof Error ? { err: { name: err.name, message: err.message, stack: err.stack } } : { err: String(err) };
