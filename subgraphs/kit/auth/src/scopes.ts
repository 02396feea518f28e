/**
 * The scopes the graph knows. Aggregated measure figures (catalogue, norms, volumes, budgets, lead
 * times, inspection statistics, contingent totals) need none; everything about one dossier, person,
 * organisation's contingent or inspection does. Mutations need the write scope of their domain.
 */
export const SCOPES = {
  /** Dossiers, their events and payments, per measure, person or organisation; timelines. */
  dossiersRead: 'dossiers:read',
  /** Persons: name, province, trainings and leave, employment in social economy, trajectories. */
  personsRead: 'persons:read',
  /** A person's national number (INSZ) unmasked; also needs a stated purpose (x-purpose). */
  personIdentify: 'person:identify',
  /** Contingents, settlements and sector profiles of one organisation; growth-path applications. */
  contingentsRead: 'contingents:read',
  /** Inspection records of one organisation. */
  inspectionsRead: 'inspections:read',
  /** The personal-data access log. */
  auditRead: 'audit:read',
  activationWrite: 'activation:write',
  competencesWrite: 'competences:write',
  socialEconomyWrite: 'social-economy:write',
  inspectionWrite: 'inspection:write',
  /**
   * Introspection in safelist mode (SAFELIST_PATH): an IDE may still learn the schema while every
   * other unregistered document is refused. Gives no data.
   */
  schemaIntrospect: 'schema:introspect',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

/** Who is calling, as a verified token says; null in a context means an anonymous caller. */
export interface Principal {
  /** `sub` of the token: the user or service account. */
  subject: string;
  /** `azp` or `client_id`: the application acting for it, when the token names one. */
  clientId?: string;
  scopes: ReadonlySet<string>;
}

/** What a request carries about its caller, in every subgraph's and the gateway's context. */
export interface CallerContext {
  principal?: Principal | null;
  /** Why personal data is read (x-purpose header), required to unmask a national number. */
  purpose?: string;
}

/** Scopes as OAuth writes them (`scope`: space separated) or as some issuers do (`scp`: array or string). */
export function scopesOf(claims: Record<string, unknown>): Set<string> {
  const raw = claims.scope ?? claims.scp;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : [];
  return new Set(list.filter((s): s is string => typeof s === 'string' && s.length > 0));
}

/**
 * The purpose of a personal-data read, from the x-purpose header: printable text of 3 to 200
 * characters (e.g. "dossier VOP-2020-001 appeal"); anything else counts as no purpose.
 */
export function purposeOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[\p{L}\p{N}\p{P}\p{Zs}]{3,200}$/u.test(trimmed) ? trimmed : undefined;
}
