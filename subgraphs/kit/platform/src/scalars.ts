import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { badInput } from '@measure-graph/errors';
import { generatedSdl, type SdlPart } from './sdl-parts.ts';

/**
 * The graph's scalars, declared by every subgraph (loadSdl adds them) with the same definition, so
 * composition merges them and every field of a date, an instant, an amount or a share has one wire
 * format whichever subgraph answers it. See docs/architecture.md, "Scalars".
 *
 * Inside the subgraphs the values stay what the stores and commands already use: a Date is
 * "YYYY-MM-DD", a DateTime is Belgian local wall time "YYYY-MM-DDTHH:MM:SS" (the department's
 * clock, what the tables hold), a Decimal a decimal string. The scalars translate at the edge only.
 */

export const SCALARS_SDL = `
"""
A calendar day, YYYY-MM-DD (ISO 8601), e.g. 2020-03-05. Inputs must be a real day: 2024-02-30 and
2023-02-29 are refused (BAD_USER_INPUT).
"""
scalar Date

"""
An instant, ISO 8601 with an offset, e.g. 2020-03-05T10:00:00+01:00. The department's times are
Belgian local times: they are output with the Europe/Brussels offset of that instant (+01:00 in
winter, +02:00 in summer). Inputs must carry an offset or Z; a time without one is refused
(BAD_USER_INPUT), since it would not say which instant it is.
"""
scalar DateTime

"""
An exact decimal number as a string, e.g. "1234.56" (euros, FTE). Inputs: a string of digits with
an optional sign and fraction, or a JSON integer; a JSON number with a fraction is refused
(BAD_USER_INPUT) because a float may already have lost digits.
"""
scalar Decimal

"""
A share or ratio as a JSON number rounded to 4 decimal places, e.g. 0.9234 (92.34 % when a fraction,
1.0 = 100 %). Exact digits do not matter for a share; the rounding keeps float noise such as
3.9999999999999925 off the wire.
"""
scalar Share
`;

/**
 * The definitions of the scalars that the other parts of a subgraph's SDL use (a type reference
 * `: Date`, `: [Decimal!]` ...): an unused scalar would be an unreachable type (SDL lint).
 */
export function scalarsSdlPart(otherParts: readonly Pick<SdlPart, 'text'>[]): SdlPart {
  const text = otherParts.map((p) => p.text).join('\n');
  // Definitions are separated by blank lines (descriptions have none).
  const definitions = SCALARS_SDL.split(/\n\s*\n/)
    .map((d) => d.trim())
    .filter((d) => {
      const name = /scalar (\w+)/.exec(d)?.[1];
      return name !== undefined && new RegExp(`:\\s*\\[?${name}\\b`).test(text);
    });
  return generatedSdl(new URL(import.meta.url), definitions.join('\n\n'));
}

// --- Europe/Brussels offsets ----------------------------------------------------------------------

const ZONE = 'Europe/Brussels';
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' });
const wallFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Minutes east of UTC in Brussels at an instant (60 in winter, 120 in summer). */
export function brusselsOffsetMinutes(instantMs: number): number {
  const name = offsetFormat.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0; // "GMT" alone: offset zero
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant of a Brussels wall time. The hour repeated when summer time ends (last Sunday of
 * October, 02:00-03:00) is taken in summer time, its first occurrence; a wall time in the hour
 * skipped in March does not exist and is read with the winter offset (02:30 is 03:30+02:00).
 */
export function brusselsLocalToInstant(local: string): number {
  const m = LOCAL.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const [, y, mo, d, h, mi, s = '00'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const candidates = [
    ...new Set([brusselsOffsetMinutes(asUtc - 3 * 3_600_000), brusselsOffsetMinutes(asUtc + 3 * 3_600_000)]),
  ].sort((a, b) => b - a);
  for (const offset of candidates) {
    const instant = asUtc - offset * 60_000;
    if (brusselsOffsetMinutes(instant) === offset) return instant;
  }
  return asUtc - Math.min(...candidates) * 60_000;
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** An instant as Brussels wall time with its offset, "2020-07-01T09:00:00+02:00". */
export function formatBrussels(instantMs: number): string {
  const offset = brusselsOffsetMinutes(instantMs);
  const wall = wallFormat.format(new Date(instantMs)).replace(' ', 'T');
  return `${wall}${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** An instant as Brussels wall time without offset, the subgraphs' internal form. */
export const brusselsLocal = (instantMs: number): string => wallFormat.format(new Date(instantMs)).replace(' ', 'T');

// --- The scalars -----------------------------------------------------------------------------------

/** graphql-scalars' checks throw plain errors; ours carry BAD_USER_INPUT like every other bad input. */
function coded<T>(check: () => T, message: string): T {
  try {
    return check();
  } catch {
    throw badInput(message);
  }
}

const stringLiteral = (ast: ValueNode, scalar: string): string => {
  if (ast.kind !== Kind.STRING) throw badInput(`${scalar} must be a string, got a ${ast.kind.toLowerCase()} literal`);
  return ast.value;
};

function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw badInput(`Date must be a string YYYY-MM-DD, got ${typeof value}`);
  // LocalDate of graphql-scalars: the format and a real calendar day (leap years included).
  return coded(
    () => LocalDateResolver.parseValue(value) as string,
    `Date must be a real calendar day YYYY-MM-DD, got "${value}"`,
  );
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize(value) {
    if (value instanceof Date) return brusselsLocal(value.getTime()).slice(0, 10);
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    throw new TypeError(`Date cannot represent ${String(value)}`);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(stringLiteral(ast, 'Date')),
});

const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string') throw badInput(`DateTime must be an ISO 8601 string, got ${typeof value}`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    throw badInput(
      `DateTime must carry an offset or Z, e.g. ${value.length === 16 ? `${value}:00` : value.slice(0, 19)}+01:00 ` +
        `(Belgian winter time) or +02:00 (summer time), got "${value}"`,
    );
  }
  if (!HAS_OFFSET.test(value)) {
    throw badInput(`DateTime must be ISO 8601 with an offset, e.g. 2020-03-05T10:00:00+01:00, got "${value}"`);
  }
  // DateTime of graphql-scalars: RFC 3339 with a real day and time; we keep the instant only.
  const instant = coded(
    () => (DateTimeResolver.parseValue(value) as Date).getTime(),
    `DateTime is not a real date-time: "${value}"`,
  );
  return brusselsLocal(instant);
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize(value) {
    if (value instanceof Date) return formatBrussels(value.getTime());
    if (typeof value === 'string') {
      if (LOCAL.test(value)) return formatBrussels(brusselsLocalToInstant(value));
      const instant = Date.parse(value);
      if (HAS_OFFSET.test(value) && !Number.isNaN(instant)) return formatBrussels(instant);
    }
    throw new TypeError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral(ast, 'DateTime')),
});

const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;

function parseDecimal(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    throw badInput(
      `Decimal must be a string such as "${Number.isFinite(value) ? value : '1234.56'}": a JSON number with a fraction may have lost digits`,
    );
  }
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw badInput(`Decimal must be a decimal number as a string, e.g. "1234.56", got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  serialize(value) {
    if (typeof value === 'string' && DECIMAL.test(value)) return value;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isFinite(value)) {
      // Only integers are expected here; 15 significant digits keep a computed value's float noise out.
      return String(Number(value.toPrecision(15)));
    }
    throw new TypeError(`Decimal cannot represent ${String(value)}`);
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT) return parseDecimal(Number(ast.value));
    if (ast.kind === Kind.FLOAT) {
      throw badInput(`Decimal must be a string such as "${ast.value}": a number literal with a fraction is refused`);
    }
    return parseDecimal(stringLiteral(ast, 'Decimal'));
  },
});

/** The precision of Share on the wire, in decimal places. */
export const SHARE_DECIMALS = 4;

export const roundShare = (value: number): number => Number(value.toFixed(SHARE_DECIMALS));

function parseShare(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badInput(`Share must be a number, e.g. 0.9, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const ShareScalar = new GraphQLScalarType<number, number>({
  name: 'Share',
  serialize(value) {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) return roundShare(n);
    throw new TypeError(`Share cannot represent ${String(value)}`);
  },
  parseValue: parseShare,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) throw badInput('Share must be a number, e.g. 0.9');
    return parseShare(Number(ast.value));
  },
});

/** The scalars' resolvers, which every subgraph's schema gets (buildGuardedSchema). */
export const scalarResolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Share: ShareScalar,
};
