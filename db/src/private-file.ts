import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a secret kept in a file of its own (a password, a key), making it with `make` the first
 * time. The file is written whole to a private temporary file (mode 0600) and linked into place,
 * so a process starting at the same moment sees either no file or the complete one, and the first
 * link wins. A file that its group or others may read is refused: the secret may have leaked.
 */
export function readOrCreatePrivateFile(file: string, make: () => string): string {
  if (!fs.existsSync(file)) {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomUUID()}`);
    fs.writeFileSync(temporary, make(), { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  return readPrivateFile(file);
}

/** Reads an existing secret file, refusing it when its group or others may read it. */
export function readPrivateFile(file: string): string {
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} must be readable by its owner only (chmod 600)`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}
