import fs from 'node:fs';
import path from 'node:path';

/** The embedded database's folder is used by another running process (or by this one already). */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database folder ${dataDir} is in use by process ${pid}` +
        `${pid === process.pid ? ' (this one)' : ''}: stop it first, or set PGLITE_DATA_DIR to another folder`,
    );
    this.name = 'DataDirInUseError';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the embedded database's folder for this process. PGlite does not lock its folder, and two
 * processes writing one folder corrupt it (seen here: a second `npm start` beside a running one
 * left unique indexes missing rows, and the catalogue with duplicate measures). The lock is a file
 * beside the folder (`<folder>.lock`, holding the pid), created exclusively; one left by a process
 * that no longer runs (a crash, a kill -9) is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = `${path.resolve(dataDir)}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) throw new DataDirInUseError(dataDir, holder);
    // Stale: its process is gone. Removed and created again exclusively, so of two processes
    // taking it over at once only one succeeds.
    fs.rmSync(file, { force: true });
  }
}
