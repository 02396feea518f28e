import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preset } from '@graphql-codegen/client-preset';
import { codegen } from '@graphql-codegen/core';
import { buildSchema, parse } from 'graphql';

/**
 * The dashboard's typed operations and its persisted-document manifest, from the public API schema
 * (schema/api-schema.graphql) and the operations in src/operations/*.graphql.
 *
 * graphql-codegen's client preset, driven through @graphql-codegen/core as schema/src/codegen.ts
 * does: the CLI's schema loaders pull in fetch packages that need Node 22, and we already hold the
 * SDL. `persistedDocuments` gives every operation its SHA-256 hash (`__meta__.hash`), which the app
 * sends as `documentId`; the manifest `{ "<hash>": "<document>" }` goes to
 * schema/persisted-documents/dashboard.json, where the gateway loads it. `--check` regenerates in
 * memory and fails when a committed file differs (test/codegen.test.ts does the same).
 */

const appRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = path.resolve(appRoot, '../..');
const OPERATIONS_DIR = path.join(appRoot, 'src/operations');
const OUTPUT_DIR = 'src/gql/';
/** Where the gateway reads persisted-document manifests from (every *.json file of the folder). */
export const MANIFEST_PATH = path.join(repoRoot, 'schema/persisted-documents/dashboard.json');

/** Every file codegen writes: absolute path -> content. */
export async function generateFiles(): Promise<Map<string, string>> {
  const sdl = fs.readFileSync(path.join(repoRoot, 'schema/api-schema.graphql'), 'utf8');
  const documents = fs
    .readdirSync(OPERATIONS_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => {
      const rawSDL = fs.readFileSync(path.join(OPERATIONS_DIR, f), 'utf8');
      return { location: `src/operations/${f}`, document: parse(rawSDL), rawSDL };
    });
  const sections = await preset.buildGeneratesSection({
    baseOutputDir: OUTPUT_DIR,
    schema: parse(sdl),
    schemaAst: buildSchema(sdl),
    documents,
    plugins: [],
    pluginMap: {},
    config: {
      // Plain strings in the bundle (no graphql-js in the browser); the hash rides along in __meta__.
      documentMode: 'string',
      useTypeImports: true,
      enumsAsTypes: true,
      // Types of the operations only, not of the whole schema (the app never builds API objects).
      onlyOperationTypes: true,
      // Dates, times and money travel as JSON strings (ISO 8601, decimal strings), shares as numbers
      // rounded to their declared places; an unknown scalar stays `unknown`, so the code that shows
      // it must check it.
      scalars: { Date: 'string', DateTime: 'string', Decimal: 'string', Share: 'number' },
      defaultScalarType: 'unknown',
    },
    // The gateway expects SHA-256 (`sha256:<hex>`); the preset's default is SHA-1.
    presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' }, fragmentMasking: false },
  });
  const files = new Map<string, string>();
  for (const section of sections) {
    const content = await codegen({ ...section, config: section.config ?? {} });
    const isManifest = section.filename.endsWith('persisted-documents.json');
    files.set(
      isManifest ? MANIFEST_PATH : path.join(appRoot, section.filename),
      isManifest ? `${content.trimEnd()}\n` : content,
    );
  }
  return files;
}

async function main(): Promise<void> {
  const files = await generateFiles();
  if (process.argv.includes('--check')) {
    const stale = [...files].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);
    for (const [file] of stale) process.stderr.write(`${path.relative(process.cwd(), file)} is stale\n`);
    if (stale.length > 0) {
      process.stderr.write('Run `npm run codegen -w examples/dashboard` and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write(`The dashboard's ${files.size} generated files are up to date.\n`);
    return;
  }
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
