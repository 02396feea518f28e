import type { DomainEnumValue } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';

const S = 'inspection';

/** A value of the Domain enum (the kit's list of domains). */
export type MeasureDomain = DomainEnumValue;

export interface CatalogueMeasureRecord {
  code: string;
  domain: MeasureDomain;
}

/** The measure catalogue in inspection's own schema (code and domain of every measure). */
export class MeasureCatalogueStore {
  constructor(private readonly ds: DataSource) {}

  async byCodes(codes: readonly string[]): Promise<CatalogueMeasureRecord[]> {
    return this.ds.query(`SELECT code, domain FROM ${S}.measure_catalogue WHERE code = ANY ($1::text[])`, [codes]);
  }
}
