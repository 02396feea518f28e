import {
  checkDossierKeyFilter,
  compareDossierPositions,
  decodeCursor,
  domainNames,
  DOMAINS,
  dossierPosition,
  encodeCursor,
  pageSize,
  type DomainCaller,
  type DomainName,
  type DossierKey,
  type DossierKeyFilter,
  type DossierPosition,
} from '@measure-graph/subgraph-platform';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { DOSSIER_TYPE_BY_PREFIX } from '../domains.ts';
import type { DossierResolvers, Resolvers } from '../generated/resolvers.ts';

/** A domain's dossier as the registry returns it: a reference the gateway resolves in that domain. */
export interface DossierRef {
  __typename: string;
  id: string;
}

/** allDossiers' page as its resolvers receive it (the domains' counts summed when asked for). */
export interface AllDossiersConnectionValue {
  edges: Array<{ node: DossierRef; cursor: string }>;
  nodes: DossierRef[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  watermark?: string | null;
}

interface KeyPage {
  keys: Array<DossierKey & { watermark?: string | null }>;
  hasNextPage: boolean;
  totalCount?: number;
}

/** Whether the selection asks for `name` (directly or in an inline fragment, as the gateway sends it). */
function selects(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo): boolean {
  return (set?.selections ?? []).some((s) => {
    if (s.kind === 'Field') return s.name.value === name;
    if (s.kind === 'InlineFragment') return selects(s.selectionSet, name, info);
    return selects(info.fragments[s.name.value]?.selectionSet, name, info);
  });
}

const keyPageQuery = (field: string, withCount: boolean) =>
  `query DossierKeys($first: Int!, $after: DossierKeyInput, $filter: DossierKeyFilter, $changedAfter: String) {
  ${field}(first: $first, after: $after, filter: $filter, changedAfter: $changedAfter) {
    keys { id receivedAt watermark } hasNextPage${withCount ? ' totalCount' : ''} }
}`;

/**
 * allDossiers' watermark: each domain's own (opaque to the registry), by domain name, as base64url
 * JSON; "" is every domain's start. Anything else is BAD_USER_INPUT on changedAfter.
 */
function decodeAllWatermark(value: string): Record<string, string> {
  if (value === '') return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.entries(parsed).every(([k, v]) => DOMAINS.some((d) => d.name === k) && typeof v === 'string')
    ) {
      return parsed as Record<string, string>;
    }
  } catch {
    // fall through to the coded error
  }
  throw badInput('changedAfter is not a watermark of this list: pass "" or a watermark it returned', 'changedAfter');
}
const encodeAllWatermark = (w: Record<string, string>) => Buffer.from(JSON.stringify(w)).toString('base64url');

/**
 * The registry's Dossier is an entity interface (as Measure): a reference by id alone gets its
 * concrete type from the id's prefix; every other field comes from the dossier's domain. The
 * generator does not type an interface's reference resolver, hence the hand-written type.
 */
const dossierInterface: DossierResolvers & { __resolveReference: (ref: { id: string }) => DossierRef | null } = {
  __resolveReference: ({ id }) => {
    const type = DOSSIER_TYPE_BY_PREFIX[id.split('-')[0]!];
    return type ? { __typename: type, id } : null;
  },
  __resolveType: (ref) => ref.__typename as never,
};

/**
 * Query.allDossiers: asks each domain the filter concerns, in parallel, for its first `first` keys
 * after the cursor, merges them in the one order (platform's dossier-keys.ts) and keeps the first
 * `first`. Every dossier after the cursor is in some domain's page or after its last key, so the
 * merged page is exactly the list's next page; the cursor is the last key's (receivedAt, id), so a
 * dossier written later never shifts a page already read. See docs/architecture.md, "A list over
 * every domain: allDossiers".
 */
export const dossierResolvers: Resolvers = {
  Query: {
    allDossiers: async (_, args, ctx, info) => {
      const first = pageSize(args.first ?? 100);
      const input = args.filter ?? {};
      const { domains: domainFilter, measureCodes, ...rest } = input;
      checkDossierKeyFilter(rest);
      const changedAfter = args.changedAfter != null ? decodeAllWatermark(args.changedAfter) : null;
      if (changedAfter && args.after) {
        throw badInput(
          'after cannot be combined with changedAfter: pass the watermark as changedAfter instead',
          'after',
        );
      }
      let after: DossierPosition | null = null;
      if (args.after) {
        const [receivedAt, id] = decodeCursor(args.after, 2);
        after = dossierPosition({ receivedAt: receivedAt!, id: id! });
        if (!after) throw badInput('after is not a cursor of this list', 'after');
      }
      // The domains to ask: those the filter names, narrowed to the domains of the measures it
      // names (the catalogue says which domain runs a measure), each asked for its own measures only.
      let asked: DomainName[] = DOMAINS.filter((d) => !domainFilter || domainFilter.includes(d.enumValue)).map(
        (d) => d.name,
      );
      const codesOf = new Map<DomainName, string[]>();
      if (measureCodes) {
        const measures = await ctx.loaders.measure.loadMany([...new Set(measureCodes)]);
        for (const [i, m] of measures.entries()) {
          if (m instanceof Error) throw m;
          if (!m) throw notFound('Measure', 'filter.measureCodes', [...new Set(measureCodes)][i]!);
          const domain = DOMAINS.find((d) => d.enumValue === m.domain)!.name;
          codesOf.set(domain, [...(codesOf.get(domain) ?? []), m.code]);
        }
        asked = asked.filter((d) => codesOf.has(d));
      }
      const withCount = selects(info.fieldNodes[0]?.selectionSet, 'totalCount', info);
      const caller: DomainCaller | undefined = ctx.domains;
      if (!caller) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The domain services are not configured');
      const pages = await Promise.all(
        asked.map((domain) => {
          const field = `_${domainNames(DOMAINS.find((d) => d.name === domain)!).field}DossierKeys`;
          const filter: DossierKeyFilter = { ...rest, ...(measureCodes ? { measureCodes: codesOf.get(domain) } : {}) };
          return caller.query<KeyPage>(domain, field, keyPageQuery(field, withCount), {
            first,
            after: after ? { receivedAt: after.receivedAt, id: `${after.prefix}-${after.number}` } : null,
            filter,
            changedAfter: changedAfter ? (changedAfter[domain] ?? '') : null,
          });
        }),
      );
      if (changedAfter) {
        // Each domain's keys come in its own change order, and watermarks of different domains do
        // not compare: the page takes a prefix of each domain's page (domain by domain, up to
        // `first`), and the watermark moves each domain to the last key taken from it.
        const watermark = { ...changedAfter };
        const edges: Array<{ node: DossierRef; cursor: string }> = [];
        let more = false;
        for (const [i, p] of pages.entries()) {
          const room = first - edges.length;
          const taken = p.keys.slice(0, Math.max(room, 0));
          if (taken.length < p.keys.length || p.hasNextPage) more = true;
          for (const key of taken) {
            edges.push({
              node: { __typename: DOSSIER_TYPE_BY_PREFIX[key.id.split('-')[0]!]!, id: key.id },
              cursor: encodeCursor([key.receivedAt, key.id]),
            });
          }
          const last = taken.at(-1);
          if (last?.watermark) watermark[asked[i]!] = last.watermark;
        }
        return {
          edges,
          nodes: edges.map((e) => e.node),
          pageInfo: {
            hasNextPage: more,
            hasPreviousPage: false,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
          totalCount: pages.reduce((sum, p) => sum + (p.totalCount ?? 0), 0),
          watermark: encodeAllWatermark(watermark),
        };
      }
      const merged = pages
        .flatMap((p) => p.keys)
        .map((key) => ({ key, position: dossierPosition(key)! }))
        .sort((a, b) => compareDossierPositions(a.position, b.position));
      const page = merged.slice(0, first);
      const edges = page.map(({ key, position }) => ({
        node: { __typename: DOSSIER_TYPE_BY_PREFIX[position.prefix]!, id: key.id },
        cursor: encodeCursor([key.receivedAt, key.id]),
      }));
      return {
        edges,
        nodes: edges.map((e) => e.node),
        pageInfo: {
          hasNextPage: merged.length > first || pages.some((p) => p.hasNextPage),
          // Forward paging only, as every list of the graph (PageInfo's description).
          hasPreviousPage: false,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: pages.reduce((sum, p) => sum + (p.totalCount ?? 0), 0),
      };
    },
  },
  Dossier: dossierInterface,
};
