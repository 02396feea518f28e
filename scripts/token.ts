/**
 * `npm run token`: an access token for the embedded default, signed with its development key
 * (made on first use under .data/dev-auth, or AUTH_DEV_KEYS_DIR). Production verifies the tokens of
 * its identity provider instead, so this command refuses to run there.
 *
 *   npm run token                                   every scope, subject "developer", valid 8 hours
 *   npm run token -- --scope dossiers:read --scope persons:read --subject alice --ttl 600
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@measure-graph/db';
import { ALL_SCOPES, readAuthConfig, signToken } from '@measure-graph/auth';

try {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', multiple: true },
      subject: { type: 'string', default: 'developer' },
      ttl: { type: 'string', default: '28800' },
    },
  });
  const problems: string[] = [];
  const scopes = values.scope ?? [...ALL_SCOPES];
  for (const scope of scopes) {
    if (!(ALL_SCOPES as readonly string[]).includes(scope)) {
      problems.push(`unknown scope "${scope}"; scopes: ${ALL_SCOPES.join(', ')}`);
    }
  }
  const auth = readAuthConfig(process.env, problems);
  const ttlSeconds = Number(values.ttl);
  // The graph refuses tokens that live longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS (default 24 h).
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > auth.maxLifetimeSeconds) {
    problems.push(`--ttl must be a number of seconds between 1 and ${auth.maxLifetimeSeconds}, got "${values.ttl}"`);
  }
  if (problems.length === 0 && !auth.dev) {
    problems.push('npm run token signs only for the embedded default; with AUTH_JWKS_* ask your identity provider');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const token = await signToken(auth.dev!, {
    subject: values.subject,
    scopes,
    ttlSeconds,
    issuer: auth.issuer,
    audience: auth.audience,
  });
  process.stdout.write(`${token}\n`);
  process.stderr.write(`Send it as: Authorization: Bearer <token>  (scopes: ${scopes.join(' ')})\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
