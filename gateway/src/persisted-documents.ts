import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { intVar } from '@measure-graph/db';
import { operationHash } from '@measure-graph/subgraph-platform';
import { HttpError } from '@measure-graph/subgraph-platform/http';
import { getOperationAST, parse } from 'graphql';

/**
 * Persisted documents: GraphQL documents registered ahead of time and run by id, the
 * GraphQL-over-HTTP `documentId` convention of Hive Gateway and graphql-codegen's client preset.
 * The id is the sha256 of the document's text, so a document can be checked against its id and
 * served forever under it.
 */
export interface PersistedDocument {
  /** sha256 hex of the text. */
  id: string;
  /** The operation's name (null for an anonymous one). */
  name: string | null;
  /** A repository operation or a client's document (`operation`), or a named table (`table`). */
  kind: 'operation' | 'table';
  /** The file it came from, relative to the repository (or the folder's name and the file's, outside it). */
  source: string;
  text: string;
}

export interface PersistedDocumentStore {
  get(id: string): PersistedDocument | undefined;
  list(): PersistedDocument[];
}

export interface PersistedDocumentsConfig {
  /** PERSISTED_DOCUMENTS_DIR: the client preset's manifests (`{ "<sha256>": "<text>" }`). */
  dir: string;
  /** Cache-Control max-age of an anonymous GET of a persisted document. */
  maxAgeSeconds: number;
  /** Every document, loaded and checked at start. */
  store: PersistedDocumentStore;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const HEX_ID = /^[0-9a-f]{64}$/;

/** `sha256:<hex>` or `<hex>` (lower case) as a bare hex id; null when it is neither. */
export function parseDocumentId(raw: string): string | null {
  const hex = raw.startsWith('sha256:') ? raw.slice('sha256:'.length) : raw;
  return HEX_ID.test(hex) ? hex : null;
}

/** The name of the document's operation; throws when the text does not parse. */
function operationNameOf(text: string): string | null {
  const document = parse(text, { noLocation: true });
  return getOperationAST(document)?.name?.value ?? null;
}

/**
 * Loads, in this order: the safelist manifest's operations (each file's text; the manifest's hash
 * must still be the text's), every schema/tables/*.graphql, every *.json manifest of `dir`. A
 * document that does not parse, an id that is not its text's sha256 or an unreadable file is a
 * problem naming the file (and the id).
 */
export function loadPersistedDocuments(
  sources: { root: string; safelistManifest: string | null; tablesDir: string; dir: string },
  problems: string[],
): PersistedDocumentStore {
  const documents = new Map<string, PersistedDocument>();
  const display = (file: string): string => {
    const relative = path.relative(sources.root, file);
    // A path outside the repository is not published: its folder's name and the file's are enough.
    return relative.startsWith('..') || path.isAbsolute(relative)
      ? path.join(path.basename(path.dirname(file)), path.basename(file))
      : relative.split(path.sep).join('/');
  };
  const add = (text: string, kind: PersistedDocument['kind'], file: string, id = sha256(text)): void => {
    if (documents.has(id)) return;
    let name: string | null;
    try {
      name = operationNameOf(text);
    } catch (err) {
      problems.push(`persisted document ${id} in ${display(file)} does not parse: ${(err as Error).message}`);
      return;
    }
    documents.set(id, { id, name, kind, source: display(file), text });
  };

  if (sources.safelistManifest) {
    try {
      const manifest = JSON.parse(fs.readFileSync(sources.safelistManifest, 'utf8')) as {
        operations?: Array<{ name?: unknown; file?: unknown; hash?: unknown }>;
      };
      for (const op of manifest.operations ?? []) {
        if (typeof op.file !== 'string') continue;
        // Paths in the manifest are the repository's; a manifest elsewhere may list files beside it.
        const inRoot = path.resolve(sources.root, op.file);
        const file = fs.existsSync(inRoot) ? inRoot : path.resolve(path.dirname(sources.safelistManifest), op.file);
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          problems.push(`${display(sources.safelistManifest)}: cannot read ${op.file}`);
          continue;
        }
        try {
          if (typeof op.hash === 'string' && operationHash(text) !== op.hash) {
            problems.push(
              `${display(sources.safelistManifest)}: ${op.file} no longer has the hash ${op.hash} (run \`npm run safelist\`)`,
            );
            continue;
          }
        } catch {
          // operationHash parses: the parse problem is reported by add.
        }
        add(text, 'operation', file);
      }
    } catch {
      // An unreadable manifest is reported once, by the safelist's own loading (SAFELIST_PATH).
    }
  }

  const filesOf = (dir: string, ext: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(ext))
          .sort()
          .map((f) => path.join(dir, f))
      : [];

  for (const file of filesOf(sources.tablesDir, '.graphql')) add(fs.readFileSync(file, 'utf8'), 'table', file);

  if (!fs.existsSync(sources.dir)) problems.push(`PERSISTED_DOCUMENTS_DIR: ${sources.dir} does not exist`);
  for (const file of filesOf(sources.dir, '.json')) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`PERSISTED_DOCUMENTS_DIR: ${display(file)} is not JSON: ${(err as Error).message}`);
      continue;
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
      problems.push(`PERSISTED_DOCUMENTS_DIR: ${display(file)} must be an object { "<sha256 hex>": "<document>" }`);
      continue;
    }
    for (const [key, text] of Object.entries(manifest)) {
      const id = parseDocumentId(key);
      if (typeof text !== 'string' || !id) {
        problems.push(
          `PERSISTED_DOCUMENTS_DIR: ${display(file)}: "${key.slice(0, 80)}" is not a sha256 id with a document`,
        );
      } else if (sha256(text) !== id) {
        problems.push(`PERSISTED_DOCUMENTS_DIR: ${display(file)}: ${id} is not the sha256 of its document`);
      } else add(text, 'operation', file, id);
    }
  }

  return { get: (id) => documents.get(id), list: () => [...documents.values()] };
}

export function readPersistedDocumentsConfig(
  env: NodeJS.ProcessEnv,
  defaults: { root: string; safelistManifest: string | null; tablesDir: string; dir: string },
  problems: string[],
): PersistedDocumentsConfig {
  const dir = path.resolve(env.PERSISTED_DOCUMENTS_DIR || defaults.dir);
  return {
    dir,
    maxAgeSeconds: intVar(env, 'PERSISTED_DOCUMENT_MAX_AGE_SECONDS', 60, problems, { max: 31_536_000 }),
    store: loadPersistedDocuments({ ...defaults, dir }, problems),
  };
}

/**
 * The document a request names by `documentId` (POST body or GET parameter), swapped in as its
 * `query`, so that every later step (limits, Apollo's CSRF check, execution) sees an ordinary
 * request. Null when the request names none.
 */
export function resolveDocumentId(
  body: unknown,
  search: URLSearchParams,
  store: PersistedDocumentStore,
): { document: PersistedDocument; body: unknown; search: URLSearchParams } | null {
  const fromBody = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const raw = fromBody ? fromBody.documentId : search.get('documentId');
  if (raw === undefined || raw === null) return null;
  const query = fromBody ? fromBody.query : search.get('query');
  if (query !== undefined && query !== null) {
    throw new HttpError(400, 'PERSISTED_DOCUMENT_WITH_QUERY', 'Send either a query or a documentId, not both');
  }
  const id = typeof raw === 'string' ? parseDocumentId(raw) : null;
  if (!id) {
    throw new HttpError(400, 'INVALID_DOCUMENT_ID', 'documentId must be "sha256:<64 lower-case hex digits>"');
  }
  const document = store.get(id);
  if (!document) {
    throw new HttpError(400, 'PERSISTED_DOCUMENT_NOT_FOUND', `No persisted document has the id sha256:${id}`);
  }
  if (fromBody) {
    const { documentId: _unused, ...rest } = fromBody;
    return { document, body: { ...rest, query: document.text }, search };
  }
  const params = new URLSearchParams(search);
  params.delete('documentId');
  params.set('query', document.text);
  return { document, body, search: params };
}
