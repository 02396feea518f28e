import fs from 'node:fs';
import { parse } from 'graphql';
import type { PublishedMeasure } from '@measure-graph/db';
import { mergeResolverMaps, type ResolverMap } from '../resolver-map.ts';
import type { DataSource } from 'typeorm';
import { SCOPE_DIRECTIVE_SDL } from '../auth/directive.ts';
import type { SubgraphContext, SubgraphDefinition } from '../subgraph.ts';
import type { SeedProfile } from './seed-dossiers.ts';
import { createMeasureModuleLoaders, type MeasureModuleLoaders } from './loaders.ts';
import { measureModuleMigrations } from './migrations.ts';
import { dossierResolvers } from './dossier-resolvers.ts';
import { measureModuleResolvers } from './resolvers.ts';
import { partyResolvers } from './party-resolvers.ts';
import { seedDemoDossiers, seedMeasureModules } from './seed.ts';

export {
  byIdLoader,
  createMeasureModuleLoaders,
  groupedLoader,
  keyedLoader,
  loaderKey,
  rowPerKey,
  rowsPerKey,
  shapedLoader,
  type ApplicantKey,
  type ApplicantPageKey,
  type MeasureModuleLoaders,
  type MeasureYearKey,
  type NormResultKey,
} from './loaders.ts';
export { EVENT_COPIED_COLUMNS, measureModuleMigrations } from './migrations.ts';
export { measureModuleResolvers } from './resolvers.ts';
export { normRecordsOf, readDemoProfile, seedDemoDossiers, seedMeasureModules, seedProfileFromEnv } from './seed.ts';
export { MeasureModuleStore, type NormRecord } from './store.ts';
export {
  candidateCounts,
  deltaShowsAs,
  normTargetsOf,
  parseDeltaPpt,
  precisionOf,
  showsAs,
  type NormTarget,
} from './calibration.ts';
export { normDefinitionsOf, type NormDefinition, type NormRule } from './norm-rules.ts';
export { NormResultsStore, type NormResultRecord } from './norm-results-store.ts';
export { generateDossiers, SEED_YEARS, splitExactly, type SeedProfile } from './seed-dossiers.ts';

/** SDL shared by every domain subgraph: the Measure interface part and the Norm type. */
export const measureModuleSdl = new URL('./measure-module.graphql', import.meta.url);

export interface DomainSubgraphOptions<D = undefined> {
  /** Service name, e.g. `social-economy`. */
  name: string;
  /** Domain of the measures it owns, as in the catalogue. */
  domain: PublishedMeasure['domain'];
  /** Postgres schema it owns. */
  schema: string;
  defaultPort: number;
  /** Prefix of its type names, e.g. `SocialEconomy` for SocialEconomyMeasure, SocialEconomyDossier ... */
  typePrefix: string;
  /** Prefix of its dossier ids, e.g. SE. */
  dossierIdPrefix: string;
  /** What its measures are, for the description of its measure type. */
  measureDescription: string;
  /** Its own SDL file (the @link, and any types of its own). */
  sdl: URL;
  /** Extra resolvers of the domain's own types. */
  resolvers?: ResolverMap<SubgraphContext<DomainLoaders<D>>>;
  /** Migrations of the domain's own tables, applied after the measure-module ones. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
  /**
   * Reference data of the domain's own tables (idempotent), run on every start after the measure
   * modules' (see SubgraphDefinition.seedReference).
   */
  seedReference?: (ds: DataSource) => Promise<void>;
  /**
   * Generated demo data of the domain's own tables, run after the measure modules' demo dossiers,
   * only when demo data is asked for (see SubgraphDefinition.seedDemo).
   */
  seedDemo?: (ds: DataSource, options: { profile: SeedProfile }) => Promise<void>;
  /** The domain's own per-request loaders, under `loaders.domain`. */
  domainLoaders?: (ds: DataSource) => D;
}

/** The measure-module loaders plus a domain's own. */
export type DomainLoaders<D> = MeasureModuleLoaders & { domain: D };

const domainTypesTemplate = fs.readFileSync(new URL('./domain-types.graphql', import.meta.url), 'utf8');

const lowerFirst = (text: string): string => text[0]!.toLowerCase() + text.slice(1);

/** The domain's own measure, dossier, table-row and mutation types, from the shared template. */
export function domainTypesSdl(
  options: Pick<
    DomainSubgraphOptions<unknown>,
    'name' | 'domain' | 'typePrefix' | 'dossierIdPrefix' | 'measureDescription'
  >,
): string {
  return domainTypesTemplate
    .replaceAll('__Prefix__', options.typePrefix)
    .replaceAll('__mutationField__', lowerFirst(options.typePrefix))
    .replaceAll('__idPrefix__', options.dossierIdPrefix)
    .replaceAll('__writeScope__', `${options.name}:write`)
    .replaceAll('__domain__', options.domain)
    .replaceAll('__description__', options.measureDescription);
}

/**
 * A domain subgraph built on the shared measure-module machinery: its measure type, norms and
 * seed. Domain-specific types add their SDL, resolvers and migrations on top.
 */
export function defineDomainSubgraph<D = undefined>(
  options: DomainSubgraphOptions<D>,
): SubgraphDefinition<DomainLoaders<D>> {
  const p = options.typePrefix;
  const sdl = [
    SCOPE_DIRECTIVE_SDL,
    fs.readFileSync(measureModuleSdl, 'utf8'),
    domainTypesSdl(options),
    fs.readFileSync(options.sdl, 'utf8'),
  ].join('\n');
  return {
    name: options.name,
    schema: options.schema,
    defaultPort: options.defaultPort,
    typeDefs: parse(sdl),
    resolvers: mergeResolverMaps<SubgraphContext<DomainLoaders<D>>>(
      measureModuleResolvers(`${p}Measure`, `${p}NormResultRow`),
      dossierResolvers({
        measureType: `${p}Measure`,
        dossierType: `${p}Dossier`,
        mutationsType: `${p}DossierMutations`,
        mutationField: lowerFirst(p),
      }),
      partyResolvers({ mutationField: lowerFirst(p), domain: options.domain.toUpperCase().replace(/-/g, '_') }),
      options.resolvers ?? {},
    ),
    migrations: [...measureModuleMigrations(options.schema), ...(options.migrations ?? [])],
    seedReference: async (ds) => {
      await seedMeasureModules(ds, options.schema, options.domain);
      await options.seedReference?.(ds);
    },
    seedDemo: async (ds, { profile }) => {
      await seedDemoDossiers(ds, options.schema, options.domain, profile);
      await options.seedDemo?.(ds, { profile });
    },
    createLoaders: (ds) => ({
      ...createMeasureModuleLoaders(ds, options.schema, options.dossierIdPrefix),
      domain: options.domainLoaders?.(ds) as D,
    }),
    // Applicants, employers, learners ... are checked in the registry at the time of the command.
    usesRegistry: true,
  };
}
export { belgianNow, parseLocalTime } from './validation.ts';
export { runIdempotent } from './idempotency.ts';
export { checkIdempotencyKey } from './validation.ts';
export { decodeCursor, encodeCursor, pageSize } from './cursor.ts';
export { connection } from './dossier-resolvers.ts';
export { dossierTimeline, type TimelineEventRecord } from './party-resolvers.ts';
