import { badInput, DomainError } from '@measure-graph/errors';
import { SCOPES } from '@measure-graph/auth';
import { isValidInsz, normaliseDigits, type SubgraphContext } from '@measure-graph/subgraph-platform';
import type { PartyLoaders } from './loaders.ts';

type Ctx = SubgraphContext<PartyLoaders>;

/**
 * The registry's answers to the domain subgraphs' commands (the kit's party directory): internal
 * root fields, @inaccessible, so the supergraph never shows them; only a caller with the gateway
 * credential reaches a subgraph at all, and the caller's token comes along.
 */

/** Most ids of each kind one `_knownParties` call may ask for (a command names a few). */
export const MAX_PARTIES_PER_CALL = 1000;

/** What the access log says was read when a national number is resolved to a person. */
export const INSZ_LOOKUP_FIELD = 'Person.nationalNumber lookup';

/** Query._knownParties: which of the given organisations and persons exist, now (one statement). */
export async function knownParties(
  _: unknown,
  args: { kboNumbers?: readonly string[] | null; personIds?: readonly string[] | null },
  { loaders, principal }: Ctx,
) {
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'Checking parties needs an authenticated caller');
  const kboNumbers = [...new Set(args.kboNumbers ?? [])];
  const personIds = [...new Set(args.personIds ?? [])];
  if (kboNumbers.length > MAX_PARTIES_PER_CALL || personIds.length > MAX_PARTIES_PER_CALL) {
    throw badInput(`at most ${MAX_PARTIES_PER_CALL} KBO numbers and ${MAX_PARTIES_PER_CALL} person ids per call`);
  }
  if (kboNumbers.length === 0 && personIds.length === 0) return { kboNumbers: [], personIds: [] };
  return loaders.parties.existing(kboNumbers, personIds);
}

/**
 * Query._resolveInsz (scope person:identify, checked by the directive): the registry id of the
 * person with this national number. Like an unmasked national number, it needs a purpose and is
 * written to the access log (subject, client, person, purpose, request id; never the number)
 * before the id leaves the registry; no id when the log cannot be written. A number that matches
 * nobody names no person and writes no row.
 */
export async function resolveInsz(_: unknown, { insz }: { insz: string }, ctx: Ctx): Promise<string | null> {
  const principal = ctx.principal;
  if (!principal?.scopes.has(SCOPES.personIdentify)) {
    throw new DomainError('FORBIDDEN', 'Resolving a national number needs person:identify', {
      scope: SCOPES.personIdentify,
    });
  }
  if (!ctx.purpose) {
    throw new DomainError(
      'FORBIDDEN',
      'Resolving a national number needs a purpose: send it in the x-purpose header (3 to 200 characters)',
      { scope: SCOPES.personIdentify },
    );
  }
  // The number itself is personal data: errors never repeat it.
  if (!isValidInsz(insz)) throw badInput('insz is not a valid national number (11 digits with a mod-97 check)', 'insz');
  const personId = await ctx.loaders.parties.personIdByInsz(normaliseDigits(insz));
  if (personId === null) return null;
  await ctx.loaders.recordAccess.load({
    subject: principal.subject,
    clientId: principal.clientId ?? null,
    personId,
    field: INSZ_LOOKUP_FIELD,
    purpose: ctx.purpose,
    requestId: ctx.requestId ?? null,
  });
  return personId;
}
