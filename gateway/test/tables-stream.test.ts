import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { buildSchema, GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTable, type TableDefinition } from '../src/tables/catalogue.ts';
import type { TableError } from '../src/tables/handler.ts';
import { serveTable, type TablesOptions } from '../src/tables/handler.ts';
import type { TableFormat } from '../src/tables/format.ts';

/**
 * A connection table whose third page fails, served by the real handler over a real HTTP server and
 * a real Apollo Server: the status line (200) is long sent, so the stream must end with the error
 * marker and an aborted transfer, never a clean end a connector would take for the whole table.
 */
const typeDefs = `
  type Query { items(first: Int!, after: String): ItemConnection! }
  type ItemConnection { nodes: [Item!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Item { id: ID! n: Int! }
`;
const PAGE = 3;
const apollo = new ApolloServer({
  typeDefs,
  resolvers: {
    Query: {
      items(_: unknown, { first, after }: { first: number; after: string | null }) {
        const start = after ? Number(after) : 0;
        if (start >= 2 * PAGE)
          throw new GraphQLError('The service is unavailable', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
        const nodes = Array.from({ length: first }, (_, i) => ({ id: `I-${start + i}`, n: start + i }));
        return { nodes, pageInfo: { hasNextPage: true, endCursor: String(start + first) } };
      },
    },
  },
});
const problems: string[] = [];
const table = defineTable(
  'items',
  'query Items($first: Int!, $after: String) { items(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id n } } }',
  {
    description: 'Items.',
    rowPath: 'items.nodes[]',
    columns: [{ path: 'items.nodes[].id' }, { path: 'items.nodes[].n' }],
  },
  buildSchema(typeDefs),
  problems,
) as TableDefinition;
const options: TablesOptions = { catalogue: new Map([['items', table]]), pageSize: PAGE };

let server: http.Server;
let base: string;
beforeAll(async () => {
  expect(problems).toEqual([]);
  await apollo.start();
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://test');
    const format = url.pathname.split('.').pop() as TableFormat;
    const limits = {
      maxDocumentBytes: 1e5,
      maxTokens: 1e4,
      maxDepth: 15,
      maxAliases: 30,
      maxRootFields: 20,
      maxCost: 5e5,
      assumedListSize: 50,
    };
    serveTable(req, res, url, { table, format }, apollo as never, options, {
      requestId: 't',
      contextValue: {},
      limits,
    }).catch((err: TableError) => {
      res.writeHead(err.status ?? 500);
      res.end(err.code);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await apollo.stop();
});

/** Reads the body as a connector does; returns what arrived and whether the transfer failed. */
async function download(path: string) {
  const res = await fetch(`${base}${path}`);
  let text = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body!) text += decoder.decode(chunk, { stream: true });
    return { status: res.status, text, failed: false };
  } catch {
    return { status: res.status, text, failed: true };
  }
}

describe('a connection table failing after rows were sent', () => {
  it.each([
    ['csv', '#ERROR,SUBGRAPH_UNAVAILABLE,The service is unavailable\r\n'],
    ['jsonl', '{"error":{"code":"SUBGRAPH_UNAVAILABLE","message":"The service is unavailable"}}\n'],
    ['json', '\n#ERROR {"error":{"code":"SUBGRAPH_UNAVAILABLE","message":"The service is unavailable"}}\n'],
  ])('%s: the rows of the good pages, the error marker, and an aborted transfer', async (format, marker) => {
    const { status, text, failed } = await download(`/tables/items.${format}`);
    expect(status).toBe(200);
    expect(failed).toBe(true);
    expect(text.endsWith(marker)).toBe(true);
    expect(text).toContain('I-5');
    expect(text).not.toContain('I-6');
  });
});
