import type { RecordedOperation, UsageStore } from './index.ts';

/** A client as its headers name it, with how often and until when it sent an operation. */
export interface ClientUsage {
  name: string;
  version: string;
  count: number;
  /** Last day (YYYY-MM-DD, UTC) this client sent the operation within the window. */
  lastSeen: string;
}

/** A recorded operation with its per-client counts (still a RecordedOperation for the check). */
export interface UsageOperation extends RecordedOperation {
  clients: ClientUsage[];
}

/** What the gateway hands the store: counts of one operation from one client on one day. */
export interface UsageRecord {
  /** YYYY-MM-DD, UTC. */
  day: string;
  hash: string;
  name: string | null;
  document: string;
  coordinates: string[];
  clientName: string;
  clientVersion: string;
  count: number;
}

/**
 * Why executions were counted but not stored: the day's cap on distinct operations or on distinct
 * clients was reached, or the document was larger than the cap on document size.
 */
export type OverflowReason = 'operations' | 'clients' | 'documentSize';
export const OVERFLOW_REASONS: readonly OverflowReason[] = ['clients', 'documentSize', 'operations'];

export interface OverflowRecord {
  day: string;
  reason: OverflowReason;
  count: number;
}

export interface UsageBatch {
  records: UsageRecord[];
  overflow?: OverflowRecord[];
}

/** The store as the gateway and `schema:usage` use it: the contract plus writing and overflow. */
export interface RecordingUsageStore extends UsageStore {
  operations(window: { sinceDay: string }): Promise<UsageOperation[]>;
  /** Adds the batch's counts (bounded, see UsageBounds) and prunes days past the retention. */
  record(batch: UsageBatch): Promise<void>;
  /** Executions counted but not stored, per day and reason, on or after `sinceDay`. */
  overflow(window: { sinceDay: string }): Promise<OverflowRecord[]>;
  /** Where the data is kept, for messages (a file path, or `postgresql` with the database name). */
  readonly location: string;
}

/** The UTC day of a moment, YYYY-MM-DD. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The UTC day `days` days before `at`'s. */
export function daysBefore(at: Date, days: number): string {
  return dayOf(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - days)));
}

export const isDay = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  dayOf(new Date(`${value}T00:00:00Z`)) === value;

export const clientKey = (name: string, version: string): string => `${name}\u0000${version}`;

/** What is already stored for the days of a batch, so caps hold across flushes and processes. */
export interface DayState {
  operations: Set<string>;
  clients: Set<string>;
}

/**
 * Splits a batch into what is stored and what is only counted, under the caps: a document over
 * `maxDocumentBytes` is never stored; a day keeps at most `maxOperationsPerDay` distinct operations
 * and `maxClientsPerDay` distinct clients (first come, first kept). Mutates `days` as it admits.
 */
export function admit(
  batch: UsageBatch,
  days: Map<string, DayState>,
  bounds: { maxOperationsPerDay: number; maxClientsPerDay: number; maxDocumentBytes: number },
): { records: UsageRecord[]; overflow: OverflowRecord[] } {
  const overflow = new Map<string, OverflowRecord>();
  const count = (day: string, reason: OverflowReason, n: number) => {
    const key = `${day}|${reason}`;
    const entry = overflow.get(key) ?? { day, reason, count: 0 };
    entry.count += n;
    overflow.set(key, entry);
  };
  for (const o of batch.overflow ?? []) count(o.day, o.reason, o.count);
  const records: UsageRecord[] = [];
  for (const r of batch.records) {
    if (r.count <= 0) continue;
    if (Buffer.byteLength(r.document) > bounds.maxDocumentBytes) {
      count(r.day, 'documentSize', r.count);
      continue;
    }
    let state = days.get(r.day);
    if (!state) days.set(r.day, (state = { operations: new Set(), clients: new Set() }));
    if (!state.operations.has(r.hash) && state.operations.size >= bounds.maxOperationsPerDay) {
      count(r.day, 'operations', r.count);
      continue;
    }
    const client = clientKey(r.clientName, r.clientVersion);
    if (!state.clients.has(client) && state.clients.size >= bounds.maxClientsPerDay) {
      count(r.day, 'clients', r.count);
      continue;
    }
    state.operations.add(r.hash);
    state.clients.add(client);
    records.push(r);
  }
  return { records, overflow: [...overflow.values()] };
}

/** A store that cannot be read or written, with a code for logs and the command line. */
export class UsageStoreError extends Error {
  constructor(
    readonly code: 'USAGE_FILE_UNREADABLE' | 'USAGE_FILE_LOCKED' | 'USAGE_STORE_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'UsageStoreError';
  }
}
