import { badInput, DomainError } from '@measure-graph/errors';
import { SCOPES } from '@measure-graph/auth';
import { type SubgraphContext, decodeCursor, encodeCursor, pageSize } from '@measure-graph/subgraph-platform';
import type { PartyLoaders } from './loaders.ts';
import type { AccessFilter } from './access-log-store.ts';
import { checkDayRange } from './days.ts';
import type { PersonRecord } from './store.ts';

type Ctx = SubgraphContext<PartyLoaders>;

/** What a caller without person:identify sees: the shape of a national number, none of its digits. */
export const MASKED_NATIONAL_NUMBER = '**.**.**-***.**';

/** 85073000123 -> 85.07.30-001.23, the way it is printed on an identity card. */
const formatInsz = (insz: string): string =>
  `${insz.slice(0, 2)}.${insz.slice(2, 4)}.${insz.slice(4, 6)}-${insz.slice(6, 9)}.${insz.slice(9, 11)}`;

/**
 * Person.nationalNumber: masked without person:identify; with it, a stated purpose is required and
 * the read is in the access log (same request, one insert for all persons read) before the number
 * leaves the service. If the log cannot be written, the number is not returned.
 */
export async function nationalNumber(person: PersonRecord, _: unknown, ctx: Ctx): Promise<string> {
  const principal = ctx.principal;
  if (!principal?.scopes.has(SCOPES.personIdentify)) return MASKED_NATIONAL_NUMBER;
  if (!ctx.purpose) {
    throw new DomainError(
      'FORBIDDEN',
      'Reading a national number needs a purpose: send it in the x-purpose header (3 to 200 characters)',
      { scope: SCOPES.personIdentify },
    );
  }
  await ctx.loaders.recordAccess.load({
    subject: principal.subject,
    clientId: principal.clientId ?? null,
    personId: person.id,
    field: 'Person.nationalNumber',
    purpose: ctx.purpose,
    requestId: ctx.requestId ?? null,
  });
  return formatInsz(person.insz);
}

/** Query.personalDataAccessLog (scope audit:read, checked by the directive). */
export async function personalDataAccessLog(
  _: unknown,
  args: AccessFilter & { first?: number | null; after?: string | null },
  { loaders }: Ctx,
) {
  checkDayRange(args);
  const first = pageSize(args.first);
  const beforeId = args.after ? decodeCursor(args.after, 1)[0]! : null;
  if (beforeId !== null && !/^\d{1,18}$/.test(beforeId)) throw badInput('after is not a cursor of this list', 'after');
  const rows = await loaders.accessLog.list(args, first + 1, beforeId);
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor([node.id]) }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      // Forward-only paging, as every list of the graph (docs/architecture.md, "Relay").
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Query.personalDataAccessLogVerification (scope audit:read, checked by the directive): the whole
 * chain verified with the registry's keys (AUDIT_LOG_KEY and AUDIT_LOG_PREVIOUS_KEYS).
 */
export function personalDataAccessLogVerification(_: unknown, __: unknown, { loaders }: Ctx) {
  return loaders.accessLog.verify();
}
