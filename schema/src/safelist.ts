import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationHash } from '@measure-graph/subgraph-platform';

/** The repository's client operations (schema/operations/*.graphql) and the manifest built from them. */
export const operationsDir = fileURLToPath(new URL('../operations', import.meta.url));
export const safelistPath = fileURLToPath(new URL('../safelist.json', import.meta.url));

export interface Safelist {
  operations: Array<{ name: string; file: string; hash: string }>;
}

export function buildSafelist(): Safelist {
  const files = fs
    .readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  return {
    operations: files.map((file) => ({
      name: path.basename(file, '.graphql'),
      file: `schema/operations/${file}`,
      hash: operationHash(fs.readFileSync(path.join(operationsDir, file), 'utf8')),
    })),
  };
}

const render = (list: Safelist) => `${JSON.stringify(list, null, 2)}\n`;

/** `safelist` writes schema/safelist.json; `safelist --check` fails when it is stale. */
function main(): void {
  const fresh = render(buildSafelist());
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(safelistPath) ? fs.readFileSync(safelistPath, 'utf8') : '';
    if (committed !== fresh) {
      process.stderr.write('schema/safelist.json is stale: run `npm run safelist` and commit it.\n');
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(safelistPath, fresh);
  process.stdout.write(`Wrote ${safelistPath}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
