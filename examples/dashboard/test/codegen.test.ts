import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFiles, MANIFEST_PATH } from '../codegen.ts';
import { requestBody, SEND_QUERY_TEXT } from '../src/client.ts';
import * as generated from '../src/gql/graphql.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe("the dashboard's generated operations and persisted-document manifest", () => {
  it('are what npm run codegen -w examples/dashboard writes from the current schema and operations', async () => {
    const files = await generateFiles();
    expect(files.has(MANIFEST_PATH)).toBe(true);
    for (const [file, text] of files) {
      const rel = path.relative(repoRoot, file);
      expect(fs.existsSync(file), `${rel} is missing: run npm run codegen -w examples/dashboard`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${rel} is stale: run npm run codegen -w examples/dashboard`).toBe(text);
    }
  });

  it('list every operation of the app once, under the SHA-256 of the text the gateway will run', async () => {
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
    const operations = fs
      .readdirSync(path.join(import.meta.dirname, '../src/operations'))
      .filter((f) => f.endsWith('.graphql'));
    const names = Object.values(manifest).map((text) => /^query (\w+)/.exec(text)?.[1]);
    expect(names.sort()).toEqual(operations.map((f) => path.basename(f, '.graphql')).sort());
    for (const [hash, text] of Object.entries(manifest)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
    }
  });

  it("make the app's fetch layer send each operation as documentId sha256:<key of its manifest entry>, never its text", () => {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
    const documents = Object.entries(generated as Record<string, unknown>).filter(
      (entry): entry is [string, generated.TypedDocumentString<unknown, object>] =>
        entry[1] instanceof generated.TypedDocumentString,
    );
    expect(documents.length).toBe(Object.keys(manifest).length);
    expect(SEND_QUERY_TEXT).toBe(false);
    for (const [name, document] of documents) {
      const body = requestBody(document, {});
      const hash = String(body['documentId']).replace(/^sha256:/, '');
      expect(body['documentId'], name).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(body, name).not.toHaveProperty('query');
      expect(manifest[hash], name).toContain(`query ${String(body['operationName'])}(`);
      expect(`${String(body['operationName'])}Document`).toBe(name);
    }
  });
});
