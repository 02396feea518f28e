import type { SeedProfile } from './dossiers/dossier-generator.ts';

export type { SeedProfile } from './dossiers/dossier-generator.ts';

/**
 * SEED_PROFILE=full|small for the in-process stack (`npm start`): `full` (the report's real
 * volumes, the default on every database), `small` (a fraction, written in seconds) for a quick
 * look.
 */
export function seedProfileFromEnv(env: NodeJS.ProcessEnv = process.env, fallback: SeedProfile = 'full'): SeedProfile {
  const value = env.SEED_PROFILE || fallback;
  if (value !== 'full' && value !== 'small') throw new Error(`SEED_PROFILE must be full or small, got "${value}"`);
  return value;
}
