import { describe, expect, it } from 'vitest';
import { createLogger, createRootLogger, describeError, redact } from '../src/log.ts';

/** A logger writing into an array, to read back exactly what would reach stderr. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const root = createRootLogger({ write: (line: string) => void lines.push(JSON.parse(line)) }, 'info');
  return { lines, logger: createLogger('test', root) };
}

describe('structured logs', () => {
  it('write one JSON object per line with level, time, service and message', () => {
    const { lines, logger } = capture();
    logger.info('request', { requestId: 'r-1', ms: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'test', msg: 'request', requestId: 'r-1', ms: 12 });
    expect(Date.parse(lines[0]!.time as string)).not.toBeNaN();
  });

  it('never contain a national number, whatever field or message quotes it', () => {
    const { lines, logger } = capture();
    const sqlError = new Error('duplicate key value violates unique constraint: (insz)=(85073000123)');
    logger.error('unexpected error', { ...describeError(sqlError), person: { note: 'INSZ 85.07.30-001.23 read' } });
    logger.info('lookup of 85 07 30 001 23 failed');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/85073000123|85\.07\.30-001\.23|85 07 30 001 23/);
    expect(text).toContain('[REDACTED INSZ]');
  });

  it('never contain API keys, in a header field, a message or a URL with api_key', () => {
    const { lines, logger } = capture();
    const key = `mgk_0123456789abcdef_${'Ab-_'.repeat(10)}xyz`;
    logger.info(`GET /tables/dossiers?year=2020&api_key=${encodeURIComponent(key)}&format=csv`);
    logger.info('request', { url: `/tables/dossiers?api_key=${key}`, 'x-api-key': key, note: `Bearer ${key}` });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('0123456789abcdef_');
    expect(text).not.toContain('Ab-_');
    // What the line was about stays readable.
    expect(lines[0]!.msg).toBe('GET /tables/dossiers?year=2020&api_key=[REDACTED API KEY]&format=csv');
  });

  it('never contain access tokens or secret fields', () => {
    const { lines, logger } = capture();
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    logger.info('refused', {
      authorization: `Bearer ${jwt}`,
      reason: `token ${jwt} expired`,
      nested: { token: 'abc' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('abc');
    expect(lines[0]).toMatchObject({ authorization: '[REDACTED]', nested: { token: '[REDACTED]' } });
  });

  it('keep other numbers (KBO numbers, amounts, dates) and survive cycles', () => {
    const cyclic: Record<string, unknown> = { kbo: '0412345678', amount: '1441763.00', day: '2020-03-31' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ kbo: '0412345678', amount: '1441763.00', day: '2020-03-31', self: '[Circular]' });
  });
});
