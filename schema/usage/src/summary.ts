import type { ClientUsage, OverflowRecord, UsageOperation } from './model.ts';

/** How much one schema coordinate was used in a window, and by whom. */
export interface CoordinateUsage {
  coordinate: string;
  /** Executions of operations that use it. */
  count: number;
  /** Distinct operations that use it. */
  operations: number;
  clients: ClientUsage[];
  lastSeen: string;
}

export interface UsageSummary {
  sinceDay: string;
  coordinates: CoordinateUsage[];
  operations: UsageOperation[];
  clients: ClientUsage[];
  overflow: OverflowRecord[];
}

function addClient(into: Map<string, ClientUsage>, client: ClientUsage): void {
  const key = `${client.name}\u0000${client.version}`;
  const known = into.get(key);
  if (!known) into.set(key, { ...client });
  else {
    known.count += client.count;
    if (client.lastSeen > known.lastSeen) known.lastSeen = client.lastSeen;
  }
}

const byCount =
  <T extends { count: number }>(key: (t: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || key(a).localeCompare(key(b));

/** Per coordinate and per client, from the operations of a window: most used first. */
export function summarizeUsage(
  sinceDay: string,
  operations: UsageOperation[],
  overflow: OverflowRecord[] = [],
): UsageSummary {
  const coordinates = new Map<string, { usage: CoordinateUsage; clients: Map<string, ClientUsage> }>();
  const clients = new Map<string, ClientUsage>();
  for (const op of operations) {
    for (const client of op.clients) addClient(clients, client);
    for (const coordinate of op.coordinates) {
      let entry = coordinates.get(coordinate);
      if (!entry) {
        entry = {
          usage: { coordinate, count: 0, operations: 0, clients: [], lastSeen: op.lastSeen },
          clients: new Map(),
        };
        coordinates.set(coordinate, entry);
      }
      entry.usage.count += op.count;
      entry.usage.operations += 1;
      if (op.lastSeen > entry.usage.lastSeen) entry.usage.lastSeen = op.lastSeen;
      for (const client of op.clients) addClient(entry.clients, client);
    }
  }
  const clientKey = (c: ClientUsage) => `${c.name} ${c.version}`;
  return {
    sinceDay,
    coordinates: [...coordinates.values()]
      .map(({ usage, clients: cs }) => ({ ...usage, clients: [...cs.values()].sort(byCount(clientKey)) }))
      .sort(byCount((c) => c.coordinate)),
    operations: [...operations].sort(byCount((o) => o.hash)),
    clients: [...clients.values()].sort(byCount(clientKey)),
    overflow,
  };
}
