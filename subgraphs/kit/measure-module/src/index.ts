import {
  mergeResolverMaps,
  type ResolverMap,
  domainEntry,
  domainNames,
  type DomainName,
  loadSdl,
  sdlFile,
  type SdlPart,
  type SubgraphDefinition,
} from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import { createMeasureModuleLoaders, type MeasureModuleLoaders } from './loaders.ts';
import { measureModuleMigrations } from './migrations.ts';
import { dossierResolvers } from './dossier-resolvers.ts';
import { measureModuleResolvers } from './resolvers.ts';
import { domainTypesSdl, measureModuleSdl } from './domain-types.ts';
import { partyResolvers } from './party-resolvers.ts';
import { seedWorkingDays } from './reference.ts';

export {
  createMeasureModuleLoaders,
  type ApplicantKey,
  type ApplicantPageKey,
  type MeasureModuleLoaders,
  type MeasureYearKey,
  type NormResultKey,
} from './loaders.ts';
export {
  changeTrackingSql,
  dropChangeTrackingSql,
  dropTouchParentSql,
  EVENT_COPIED_COLUMNS,
  measureModuleMigrations,
  touchParentSql,
  tombstoneSql,
  dropTombstoneSql,
} from './migrations.ts';
export {
  CHANGE_KEY_COLUMNS,
  changedAfterSql,
  changePage,
  changedRecords,
  type ChangePage,
  type ChangeWatermark,
  decodeWatermark,
  encodeWatermark,
  START_WATERMARK,
  UPDATED_AT,
  watermarkAfter,
} from './change-tracking.ts';
export { measureModuleResolvers } from './resolvers.ts';
export { domainTypesSdl, measureModuleSdl } from './domain-types.ts';
export { seedWorkingDays } from './reference.ts';
export { MeasureModuleStore, type NormRecord } from './store.ts';
export {
  NORM_CLOCKS,
  normRuleProblem,
  STAGE_END_TYPES,
  type NormClock,
  type NormDefinition,
  type NormRule,
} from './norm-rules.ts';
export { VOLUME_METRICS, type VolumeDefinition, type VolumeMetric } from './volume-rules.ts';
export { NormResultsStore, type NormResultRecord } from './norm-results-store.ts';

export interface DomainSubgraphOptions<D = undefined> {
  /**
   * The domain, an entry of the kit's list of domains (`subgraphs/kit/platform/src/domains.ts`): its service
   * name, Postgres schema, default port, type and dossier-id prefixes and measure description come
   * from there.
   */
  domain: DomainName;
  /** Its own SDL file (the @link, and any types of its own). */
  sdl: URL;
  /**
   * SDL of its own generated at load (e.g. inspection's parts derived from the list of domains),
   * with the module that generates it (`generatedSdl` of the platform).
   */
  generatedSdl?: SdlPart;
  /** Extra resolvers of the domain's own types. */
  resolvers?: ResolverMap;
  /** Migrations of the domain's own tables, applied after the measure-module ones. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
  /**
   * Reference data of the domain's own tables (idempotent), run on every start after the working
   * days (see SubgraphDefinition.seedReference).
   */
  seedReference?: (ds: DataSource) => Promise<void>;
  /** The domain's own per-request loaders, under `loaders.domain`. */
  domainLoaders?: (ds: DataSource) => D;
}

/** The measure-module loaders plus a domain's own. */
export type DomainLoaders<D> = MeasureModuleLoaders & { domain: D };

/**
 * A domain subgraph built on the shared measure-module machinery: its measure type, norms and
 * reference seed. Domain-specific types add their SDL, resolvers and migrations on top.
 */
export function defineDomainSubgraph<D = undefined>(
  options: DomainSubgraphOptions<D>,
): SubgraphDefinition<DomainLoaders<D>> {
  const entry = domainEntry(options.domain);
  const names = domainNames(entry);
  const sdl = loadSdl(
    sdlFile(measureModuleSdl),
    domainTypesSdl(entry),
    sdlFile(options.sdl),
    ...(options.generatedSdl ? [options.generatedSdl] : []),
  );
  return {
    name: entry.name,
    schema: entry.schema,
    defaultPort: entry.defaultPort,
    ...sdl,
    resolvers: mergeResolverMaps<ResolverMap>(
      measureModuleResolvers(names.measureType, names.normRowType),
      dossierResolvers({
        measureType: names.measureType,
        dossierType: names.dossierType,
        mutationsType: `${names.dossierType}Mutations`,
        mutationField: names.field,
        idPrefix: entry.dossierIdPrefix,
      }),
      partyResolvers({ mutationField: names.field, domain: entry.enumValue }),
      options.resolvers ?? {},
    ),
    migrations: [...measureModuleMigrations(entry.schema), ...(options.migrations ?? [])],
    seedReference: async (ds) => {
      // The catalogue (modules, card rows, norms) is data: measures.jsonl of the import, or the demo seed.
      await seedWorkingDays(ds, entry.schema);
      await options.seedReference?.(ds);
    },
    createLoaders: (ds) => ({
      ...createMeasureModuleLoaders(ds, entry.schema, entry.dossierIdPrefix),
      domain: options.domainLoaders?.(ds) as D,
    }),
    // Applicants, employers, learners ... are checked in the registry at the time of the command.
    usesRegistry: true,
  };
}
export { belgianNow, parseLocalTime } from './validation.ts';
export { runIdempotent } from './idempotency.ts';
export { checkIdempotencyKey } from './validation.ts';
export {
  connection,
  existing,
  rejectCursorWithWatermark,
  type Connection,
  type DossierConnectionValue,
  type DossierKeyPageValue,
  type MutationNamespace,
  type PaymentValue,
} from './dossier-resolvers.ts';
export type { MeasureRef, NormItemConnectionValue, NormResultValue } from './resolvers.ts';
export type { OrganisationRef, PersonRef } from './party-resolvers.ts';
export type { DossierRecord } from './dossier-store.ts';
export type { NormItemRecord } from './norm-results-store.ts';
export { dossierTimeline, type TimelineEventRecord } from './party-resolvers.ts';
