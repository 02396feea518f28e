import { PROVINCES } from '@measure-graph/subgraph-platform';
import type { EntityManager } from 'typeorm';

/** Reference data: upserts the provinces (and Brussels). */
export async function seedProvinces(em: EntityManager): Promise<void> {
  await em.query(
    `INSERT INTO registry.province (code, name) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
    [PROVINCES.map((p) => p.code), PROVINCES.map((p) => p.name)],
  );
}
