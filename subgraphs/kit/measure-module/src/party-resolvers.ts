import { type ResolverMap, decodeCursor, encodeCursor, pageSize, toGlobalId } from '@measure-graph/subgraph-platform';
import { decodeWatermark, watermarkAfter } from './change-tracking.ts';
import { connection, rejectCursorWithWatermark } from './dossier-resolvers.ts';
import type { ApplicantParty, DossierRecord } from './dossier-store.ts';
import type { OrganisationResolvers, PersonResolvers, TimelineEventResolvers } from './generated/resolvers.ts';
import type { MeasureModuleLoaders } from './loaders.ts';

/** An organisation or person as a domain's resolvers receive it: the key of the registry's entity. */
export interface OrganisationRef {
  kboNumber: string;
}
export interface PersonRef {
  id: string;
}

/** A step of a dossier as it appears in a person's or organisation's timeline. */
export interface TimelineEventRecord {
  /** Belgian local time "YYYY-MM-DDTHH:MM:SS", or the day alone "YYYY-MM-DD" for a day event. */
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
export function partyResolvers(options: { mutationField: string; domain: string }): ResolverMap {
  const dossiers =
    (party: ApplicantParty) =>
    async (
      id: string,
      args: { first: number; after?: string | null; changedAfter?: string | null },
      loaders: MeasureModuleLoaders,
    ) => {
      const first = pageSize(args.first);
      const changedAfter = args.changedAfter != null ? decodeWatermark(args.changedAfter, 'changedAfter') : null;
      if (changedAfter) rejectCursorWithWatermark(args.after, 'changedAfter');
      const after = args.after ? decodeCursor(args.after, 2) : null;
      const rows = await loaders.applicantDossiers.load({
        party,
        id,
        first,
        after: after ? { receivedAt: after[0]!, id: after[1]! } : null,
        changedAfter,
      });
      const page = connection(
        rows,
        first,
        (d: DossierRecord) => encodeCursor([d.receivedAt, d.id]),
        () => loaders.applicantDossierCount.load({ party, id }),
      );
      return { ...page, watermark: changedAfter ? watermarkAfter(page.nodes, changedAfter) : null };
    };
  const organisation: OrganisationResolvers = {
    __resolveReference: (ref) => ref,
    // Computed from the key in every subgraph that returns organisations, like the key itself.
    id: ({ kboNumber }) => toGlobalId('Organisation', kboNumber),
    domainDossiers: ({ kboNumber }, args, { loaders }) => dossiers('ORGANISATION')(kboNumber, args, loaders),
    domainDossiersPerYear: ({ kboNumber }, _, { loaders }) =>
      loaders.applicantPerYear.load({ party: 'ORGANISATION', id: kboNumber }),
    domainTimelineEvents: ({ kboNumber }, _, { loaders }) =>
      dossierTimeline('ORGANISATION', kboNumber, options.domain, loaders),
  };
  const person: PersonResolvers = {
    __resolveReference: (ref) => ref,
    domainDossiers: ({ id }, args, { loaders }) => dossiers('PERSON')(id, args, loaders),
    domainTimelineEvents: ({ id }, _, { loaders }) => dossierTimeline('PERSON', id, options.domain, loaders),
  };
  // Typed against the template's fields (Person.domainDossiers ...), served under the domain's names.
  const f = options.mutationField;
  const renamed = (fields: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^domain(?=[A-Z])/, f), v]));
  // A day event has a day and no instant: `at` would otherwise invent a midnight that did not happen.
  const timelineEvent: TimelineEventResolvers = {
    at: (e) => (e.at.length === 10 ? null : e.at),
    day: (e) => e.at.slice(0, 10),
  };
  return {
    Organisation: renamed(organisation),
    Person: renamed(person),
    TimelineEvent: timelineEvent,
  } as ResolverMap;
}
