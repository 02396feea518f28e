import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig, repoRoot, subgraphDatabaseVar } from '../src/config.ts';
import { configErrorOf as configError } from '../src/testing.ts';

const SERVER = 'postgres://app@db.internal:5432/measures';

describe('loadDatabaseConfig', () => {
  it('defaults to the embedded database under the repository', () => {
    const config = loadDatabaseConfig({});
    expect(config.url).toBeUndefined();
    expect(config.urlFor('activation')).toBeUndefined();
    expect(config.poolSize).toBe(10);
    expect(config.embeddedPort).toBe(0);
    expect(config.statementTimeoutMs).toBe(8000);
    expect(config.connectTimeoutMs).toBe(5000);
    expect(config.embeddedDataDir).toBe(path.join(repoRoot, '.data', 'pglite'));
    expect(path.isAbsolute(config.embeddedDataDir)).toBe(true);
  });

  it('ignores empty values as if they were unset', () => {
    const config = loadDatabaseConfig({ DATABASE_URL: '', DB_POOL_SIZE: '', PGLITE_PORT: '' });
    expect(config.url).toBeUndefined();
    expect(config.poolSize).toBe(10);
    expect(config.embeddedPort).toBe(0);
  });

  it('reads explicit numbers and data folder', () => {
    const config = loadDatabaseConfig({ DB_POOL_SIZE: '3', PGLITE_PORT: '5433', PGLITE_DATA_DIR: 'tmp/pg' });
    expect(config.poolSize).toBe(3);
    expect(config.embeddedPort).toBe(5433);
    expect(config.embeddedDataDir).toBe(path.resolve('tmp/pg'));
  });

  it('uses DATABASE_URL for every subgraph', () => {
    const config = loadDatabaseConfig({ DATABASE_URL: SERVER });
    expect(config.url).toBe(SERVER);
    for (const subgraph of ['registry', 'activation', 'competences', 'social-economy', 'inspection']) {
      expect(config.urlFor(subgraph)).toBe(SERVER);
    }
  });

  it('lets one subgraph override its own database', () => {
    const own = 'postgresql://se@other-host:5432/social_economy';
    expect(subgraphDatabaseVar('social-economy')).toBe('SOCIAL_ECONOMY_DATABASE_URL');
    const config = loadDatabaseConfig({ DATABASE_URL: SERVER, SOCIAL_ECONOMY_DATABASE_URL: own });
    expect(config.urlFor('social-economy')).toBe(own);
    expect(config.urlFor('activation')).toBe(SERVER);
    expect(config.url).toBe(SERVER);
  });

  it('gives an overridden subgraph its URL even without a shared DATABASE_URL', () => {
    const own = 'postgres://insp@host/inspection';
    const config = loadDatabaseConfig({ INSPECTION_DATABASE_URL: own });
    expect(config.urlFor('inspection')).toBe(own);
    expect(config.urlFor('registry')).toBeUndefined();
  });

  it('reports every bad value in one ConfigError', () => {
    const err = configError(() =>
      loadDatabaseConfig(
        {
          DATABASE_URL: 'mysql://root@localhost/measures',
          ACTIVATION_DATABASE_URL: 'not a url',
          PGLITE_PORT: '70000',
          DB_POOL_SIZE: 'abc',
        },
        ['registry', 'activation'],
      ),
    );
    expect(err.problems).toHaveLength(4);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL must be a postgres:// URL',
        'ACTIVATION_DATABASE_URL is not a valid URL',
        expect.stringMatching(/^PGLITE_PORT must be an integer between 0 and 65535, got "70000"$/),
        expect.stringMatching(/^DB_POOL_SIZE must be an integer between 1 and 200, got "abc"$/),
      ]),
    );
    for (const problem of err.problems) expect(err.message).toContain(problem);
    expect(err.name).toBe('ConfigError');
  });

  it('leaves unrelated *_DATABASE_URL variables alone, and checks a subgraph URL when it is asked for', () => {
    const config = loadDatabaseConfig({ LEGACY_DATABASE_URL: 'mysql://x', ACTIVATION_DATABASE_URL: 'not a url' });
    expect(config.url).toBeUndefined();
    expect(configError(() => config.urlFor('activation')).problems).toEqual([
      'ACTIVATION_DATABASE_URL is not a valid URL',
    ]);
  });

  it('rejects a pool size of zero and fractional numbers', () => {
    const err = configError(() => loadDatabaseConfig({ DB_POOL_SIZE: '0', DB_STATEMENT_TIMEOUT_MS: '1.5' }));
    expect(err.problems.map((p) => p.split(' ')[0])).toEqual(['DB_POOL_SIZE', 'DB_STATEMENT_TIMEOUT_MS']);
  });
});
