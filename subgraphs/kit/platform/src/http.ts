import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Small pieces of plain node:http shared by the gateway's and the subgraphs' handlers: a refusal
 * with a status and a code, answered as a GraphQL-shaped JSON error, and a bounded body reader.
 * Nothing here ever writes HTML, a stack trace or a file path.
 */

/** A request refused before GraphQL: HTTP `status`, `extensions.code` = `code`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** `{"errors":[{"message", "extensions":{"code"}}]}` with the error's status and headers. */
export const sendHttpError = (res: ServerResponse, err: HttpError): void =>
  sendJson(res, err.status, { errors: [{ message: err.message, extensions: { code: err.code } }] }, err.headers);

const tooLarge = (limit: number) => new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes`);

/** Reads the body, refusing more than `limit` bytes without buffering the rest. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The body as Apollo Server expects it: parsed JSON for a JSON content type (undefined when empty),
 * the raw text otherwise (Apollo answers that with its own 400). Bad JSON is 400 BAD_REQUEST.
 */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes('json')) return raw;
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}
