import {
  type ResolverMap,
  type SubgraphContext,
  decodeCursor,
  encodeCursor,
  pageSize,
} from '@measure-graph/subgraph-platform';
import { connection } from './dossier-resolvers.ts';
import type { ApplicantParty, DossierRecord } from './dossier-store.ts';
import type { MeasureModuleLoaders } from './loaders.ts';

type Ctx = SubgraphContext<MeasureModuleLoaders>;

/** A step of a dossier as it appears in a person's or organisation's timeline. */
export interface TimelineEventRecord {
  at: string;
  domain: string;
  type: string;
  measureCode: string | null;
  reference: string;
  summary: string;
}

/** The domain's dossier events of one applicant as timeline events (oldest first). */
export async function dossierTimeline(
  party: ApplicantParty,
  id: string,
  domain: string,
  loaders: MeasureModuleLoaders,
): Promise<TimelineEventRecord[]> {
  return (await loaders.applicantEvents.load({ party, id })).map((e) => ({
    at: e.at,
    domain,
    type: e.type,
    measureCode: e.measureCode,
    reference: loaders.commands.globalId(e.dossierId),
    summary: `${e.measureCode} dossier ${e.type.toLowerCase().replace(/_/g, ' ')}`,
  }));
}

/**
 * The fields a domain adds to Person and Organisation: the applicant's dossiers in this domain,
 * per year, and their events for the merged timeline. Every list is one statement per request for
 * any number of persons or organisations.
 */
export function partyResolvers(options: { mutationField: string; domain: string }): ResolverMap<Ctx> {
  const f = options.mutationField;
  const dossiers =
    (party: ApplicantParty) =>
    async (id: string, args: { first?: number; after?: string | null }, loaders: MeasureModuleLoaders) => {
      const first = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, 2) : null;
      const rows = await loaders.applicantDossiers.load({
        party,
        id,
        first,
        after: after ? { receivedAt: after[0]!, id: after[1]! } : null,
      });
      return connection(
        rows,
        first,
        (d: DossierRecord) => encodeCursor([d.receivedAt, d.id]),
        () => loaders.applicantDossierCount.load({ party, id }),
      );
    };
  return {
    Organisation: {
      __resolveReference: (ref: { kboNumber: string }) => ref,
      [`${f}Dossiers`]: (
        { kboNumber }: { kboNumber: string },
        args: { first?: number; after?: string | null },
        { loaders }: Ctx,
      ) => dossiers('ORGANISATION')(kboNumber, args, loaders),
      [`${f}DossiersPerYear`]: ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
        loaders.applicantPerYear.load({ party: 'ORGANISATION', id: kboNumber }),
      [`${f}TimelineEvents`]: ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
        dossierTimeline('ORGANISATION', kboNumber, options.domain, loaders),
    },
    Person: {
      __resolveReference: (ref: { id: string }) => ref,
      [`${f}Dossiers`]: ({ id }: { id: string }, args: { first?: number; after?: string | null }, { loaders }: Ctx) =>
        dossiers('PERSON')(id, args, loaders),
      [`${f}TimelineEvents`]: ({ id }: { id: string }, _: unknown, { loaders }: Ctx) =>
        dossierTimeline('PERSON', id, options.domain, loaders),
    },
  };
}
