import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { UsageBounds } from './config.ts';
import {
  admit,
  clientKey,
  daysBefore,
  OVERFLOW_REASONS,
  UsageStoreError,
  type DayState,
  type OverflowReason,
  type OverflowRecord,
  type RecordingUsageStore,
  type UsageBatch,
  type UsageOperation,
} from './model.ts';

/** The file's shape: operations once, counts per day, operation, client name and client version. */
interface UsageFile {
  version: 1;
  operations: Record<string, { name: string | null; document: string; coordinates: string[] }>;
  days: Record<
    string,
    {
      counts: Record<string, Record<string, Record<string, number>>>;
      overflow: Partial<Record<OverflowReason, number>>;
    }
  >;
}

const empty = (): UsageFile => ({ version: 1, operations: {}, days: {} });

/** A lock older than this was left by a process that died while writing. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Usage in one JSON file, for the embedded default. Every write holds a lock file (created
 * exclusively, so two processes never interleave a read-modify-write and no count is lost) and
 * replaces the file by renaming a complete temporary one, so a reader or a crash never sees half
 * a file.
 */
export class FileUsageStore implements RecordingUsageStore {
  readonly location: string;
  private readonly lockPath: string;
  private readonly now: () => Date;
  /** Writes of this process, one after the other (the lock is per process too, but cheaper here). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: UsageBounds & { path: string; now?: () => Date }) {
    this.location = config.path;
    this.lockPath = `${config.path}.lock`;
    this.now = config.now ?? (() => new Date());
  }

  async operations({ sinceDay }: { sinceDay: string }): Promise<UsageOperation[]> {
    const file = await this.read();
    const byHash = new Map<string, UsageOperation>();
    for (const day of Object.keys(file.days).sort()) {
      if (day < sinceDay) continue;
      for (const [hash, clients] of Object.entries(file.days[day]!.counts)) {
        const stored = file.operations[hash];
        if (!stored) continue;
        let op = byHash.get(hash);
        if (!op) {
          op = { hash, ...stored, clients: [], firstSeen: day, lastSeen: day, count: 0 };
          byHash.set(hash, op);
        }
        op.lastSeen = day;
        for (const [name, versions] of Object.entries(clients)) {
          for (const [version, count] of Object.entries(versions)) {
            op.count += count;
            const client = op.clients.find((c) => c.name === name && c.version === version);
            if (client) {
              client.count += count;
              client.lastSeen = day;
            } else op.clients.push({ name, version, count, lastSeen: day });
          }
        }
      }
    }
    return [...byHash.values()];
  }

  async overflow({ sinceDay }: { sinceDay: string }): Promise<OverflowRecord[]> {
    const file = await this.read();
    const out: OverflowRecord[] = [];
    for (const day of Object.keys(file.days).sort()) {
      if (day < sinceDay) continue;
      for (const reason of OVERFLOW_REASONS) {
        const count = file.days[day]!.overflow[reason];
        if (count) out.push({ day, reason, count });
      }
    }
    return out;
  }

  record(batch: UsageBatch): Promise<void> {
    const run = this.queue.then(() => this.withLock(() => this.write(batch)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
  }

  private async write(batch: UsageBatch): Promise<void> {
    const file = await this.read();
    const cutoff = daysBefore(this.now(), this.config.retentionDays - 1);
    const states = new Map<string, DayState>();
    for (const [day, data] of Object.entries(file.days)) {
      const clients = new Set<string>();
      for (const byName of Object.values(data.counts))
        for (const [name, versions] of Object.entries(byName))
          for (const version of Object.keys(versions)) clients.add(clientKey(name, version));
      states.set(day, { operations: new Set(Object.keys(data.counts)), clients });
    }
    // Days already past the retention are neither stored nor counted.
    const current = {
      records: batch.records.filter((r) => r.day >= cutoff),
      overflow: (batch.overflow ?? []).filter((o) => o.day >= cutoff),
    };
    const { records, overflow } = admit(current, states, this.config);
    const dayOfFile = (day: string) => (file.days[day] ??= { counts: {}, overflow: {} });
    for (const r of records) {
      const stored = file.operations[r.hash];
      if (stored) {
        // Enum values reached through variables differ per request: the operation keeps them all.
        const merged = new Set(stored.coordinates);
        for (const c of r.coordinates) merged.add(c);
        if (merged.size !== stored.coordinates.length) stored.coordinates = [...merged].sort();
      } else {
        file.operations[r.hash] = { name: r.name, document: r.document, coordinates: [...r.coordinates].sort() };
      }
      const versions = ((dayOfFile(r.day).counts[r.hash] ??= {})[r.clientName] ??= {});
      versions[r.clientVersion] = (versions[r.clientVersion] ?? 0) + r.count;
    }
    for (const o of overflow) {
      const data = dayOfFile(o.day);
      data.overflow[o.reason] = (data.overflow[o.reason] ?? 0) + o.count;
    }
    for (const day of Object.keys(file.days)) if (day < cutoff) delete file.days[day];
    const used = new Set(Object.values(file.days).flatMap((d) => Object.keys(d.counts)));
    for (const hash of Object.keys(file.operations)) if (!used.has(hash)) delete file.operations[hash];
    await this.replace(JSON.stringify(file));
  }

  private async read(): Promise<UsageFile> {
    let text: string;
    try {
      text = await fs.readFile(this.config.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const file = parsed as UsageFile | null;
    if (!file || file.version !== 1 || typeof file.operations !== 'object' || typeof file.days !== 'object') {
      // Never overwritten: the data in it is someone's, and a write would lose it.
      throw new UsageStoreError(
        'USAGE_FILE_UNREADABLE',
        `${this.config.path} is not a usage file of this version; move it away to start a new one`,
      );
    }
    return file;
  }

  /** Writes a complete temporary file beside the target, flushes it to disk and renames it over the target. */
  private async replace(text: string): Promise<void> {
    await fs.mkdir(path.dirname(this.config.path), { recursive: true });
    const temp = `${this.config.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, this.config.path);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await fs.mkdir(path.dirname(this.lockPath), { recursive: true });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await fs.open(this.lockPath, 'wx');
        await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const stat = await fs.stat(this.lockPath).catch(() => null);
        if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
          await fs.rm(this.lockPath, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new UsageStoreError('USAGE_FILE_LOCKED', `${this.lockPath} is held by another process`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(this.lockPath, { force: true });
    }
  }
}
