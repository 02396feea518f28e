import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { Kind, visit, type DocumentNode } from 'graphql';
import { subgraphs } from '@measure-graph/schema/subgraphs';

/** The committed supergraph (schema/supergraph.graphql). */
export const committedSupergraph = fs.readFileSync(
  fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)),
  'utf8',
);

/**
 * The graph as it was before the registry published `Query.provinces`: the registry's own SDL
 * without that field, composed with the others. The running registry serves the field all along,
 * so the committed supergraph is the next version of this one.
 */
export function supergraphWithoutProvinces(): string {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: `http://localhost:${s.defaultPort}/graphql`,
      typeDefs:
        s.name === 'registry'
          ? (visit(s.typeDefs, {
              FieldDefinition(node, _key, _parent, _path, ancestors) {
                const owner = ancestors[ancestors.length - 1];
                const isQuery =
                  owner &&
                  'kind' in owner &&
                  (owner.kind === Kind.OBJECT_TYPE_DEFINITION || owner.kind === Kind.OBJECT_TYPE_EXTENSION) &&
                  owner.name.value === 'Query';
                return isQuery && node.name.value === 'provinces' ? null : undefined;
              },
            }) as DocumentNode)
          : s.typeDefs,
    })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

/** Replaces the file as `compose` and deployments should: a new file renamed over the old one. */
export function replaceFile(file: string, text: string): void {
  const next = `${file}.${process.pid}.next`;
  fs.writeFileSync(next, text);
  fs.renameSync(next, file);
}

/** Polls `probe` every 50 ms until it gives a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
