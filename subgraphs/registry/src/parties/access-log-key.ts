import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readOrCreatePrivateFile, readPrivateFile } from '@measure-graph/db';
import { devKeysDir } from '@measure-graph/auth';
import { auditLogKey, decodeAuditLogKey, MIN_KEY_BYTES, type AuditKeyring } from './access-log-chain.ts';

/** The embedded default's access-log key, beside its development signing key (AUTH_DEV_KEYS_DIR). */
export const DEV_AUDIT_KEY_FILE = 'audit-log.key';

export const devAuditKeyFile = (env: NodeJS.ProcessEnv): string => path.join(devKeysDir(env), DEV_AUDIT_KEY_FILE);

/**
 * Reads the access log's key: AUDIT_LOG_KEY (at least 32 bytes, hex or base64), plus
 * AUDIT_LOG_PREVIOUS_KEYS (comma-separated) that only verify rows written before a rotation.
 * Without AUDIT_LOG_KEY, where NODE_ENV says development or test (or nothing), the embedded
 * default's key is used, made at the first start unless `create` is false; any other NODE_ENV
 * needs the variable. Problems are added to `problems`, like the AUTH_* settings.
 */
export function readAuditKeyring(
  env: NodeJS.ProcessEnv,
  problems: string[],
  { create = true }: { create?: boolean } = {},
): AuditKeyring | undefined {
  const previous = (env.AUDIT_LOG_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .flatMap((text, i) => {
      const secret = decodeAuditLogKey(text);
      if (typeof secret === 'string') problems.push(`AUDIT_LOG_PREVIOUS_KEYS: key ${i + 1} ${secret}`);
      return typeof secret === 'string' ? [] : [auditLogKey(secret)];
    });
  let text = env.AUDIT_LOG_KEY;
  let source = 'AUDIT_LOG_KEY';
  if (!text) {
    const development = ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
    if (!development) {
      problems.push(
        `AUDIT_LOG_KEY (at least ${MIN_KEY_BYTES} bytes, hex or base64) is required with NODE_ENV=${env.NODE_ENV}`,
      );
      return undefined;
    }
    const file = devAuditKeyFile(env);
    source = `the development access-log key ${file}`;
    try {
      if (!create && !fs.existsSync(file)) {
        problems.push(`AUDIT_LOG_KEY is not set and ${file} does not exist (the registry makes it at its first start)`);
        return undefined;
      }
      text = create
        ? readOrCreatePrivateFile(file, () => randomBytes(MIN_KEY_BYTES).toString('hex'))
        : readPrivateFile(file);
    } catch (err) {
      problems.push(`AUDIT_LOG_KEY: cannot use ${source}: ${(err as Error).message}`);
      return undefined;
    }
  }
  const secret = decodeAuditLogKey(text);
  if (typeof secret === 'string') {
    problems.push(`${source} ${secret}`);
    return undefined;
  }
  const current = auditLogKey(secret);
  return { current, all: [current, ...previous.filter((k) => k.id !== current.id)] };
}
