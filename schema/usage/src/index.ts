/**
 * The usage data's contract between the gateway, which records it, and the schema check, which
 * reads it. Coordinates are GraphQL schema coordinates: `Type`, `Type.field`,
 * `Type.field(argument:)`, `Enum.VALUE`, `Input.field`, `@directive(argument:)`.
 */

/** One operation as the gateway saw it, aggregated over a window of days. */
export interface RecordedOperation {
  /** sha256 (hex) of the operation's document as received. */
  hash: string;
  /** The operation's name, null for an anonymous operation. */
  name: string | null;
  /** The document, so that a check can validate it against a new schema. */
  document: string;
  /** Every schema coordinate the operation touches. */
  coordinates: string[];
  /** The clients that sent it (client name and version headers; `unknown` when absent). */
  clients: Array<{ name: string; version: string }>;
  /** Days (YYYY-MM-DD, UTC) it was first and last seen within the window, and how often. */
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** Where usage is kept: PostgreSQL when configured, a file for the embedded default. */
export interface UsageStore {
  /** Operations seen on or after `sinceDay` (YYYY-MM-DD, UTC). */
  operations(window: { sinceDay: string }): Promise<RecordedOperation[]>;
  close(): Promise<void>;
}

export * from './model.ts';
export {
  readUsageStoreConfig,
  loadUsageStoreConfig,
  DEFAULT_USAGE_BOUNDS,
  type UsageStoreConfig,
  type UsageBounds,
} from './config.ts';
export { openUsageStore, createUsageStore } from './open.ts';
export { coordinatesOf, variableCoordinates, type DocumentCoordinates } from './coordinates.ts';
export { summarizeUsage, type CoordinateUsage, type UsageSummary } from './summary.ts';
