import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

// Extended-protocol messages that belong to an exchange still in progress: Parse, Bind, Describe,
// Execute, Close, Flush. Sync, a simple Query, Terminate or a startup packet end it.
const CONTINUES_EXCHANGE = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * Serialises the wire messages of many client connections onto PGlite's single session.
 *
 * pglite-socket's own queue keeps a connection's transaction together but lets messages of
 * different connections interleave inside an extended-protocol exchange (Parse/Bind/Execute ...
 * Sync). With one session behind them, one connection's Bind can then meet another's Parse and
 * a query answers with another query's rows. Here a connection holds the session from the first
 * message of an exchange until its Sync, and for as long as it has a transaction open.
 */
export class SerialWireQueue {
  private queue: Pending[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
        // The owner's next message has not arrived yet: wait for it rather than let others in.
        if (index === -1) break;
        const item = this.queue.splice(index, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        const holds = CONTINUES_EXCHANGE.has(item.message[0]!) || this.db.isInTransaction();
        this.owner = holds ? item.handlerId : null;
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** Drops a disconnected connection's queued messages. */
  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((p) => {
      if (p.handlerId !== handlerId) return true;
      p.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** Rolls back what a disconnected connection left open, and frees the session. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.process();
  }
}
