import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Query limits of the gateway, checked before planning; each has a sane default (config.ts). */
export interface QueryLimits {
  /** Largest GraphQL document, in bytes (the HTTP body may be larger: variables). */
  maxDocumentBytes: number;
  maxTokens: number;
  /** Deepest nesting of selections, fragments expanded. */
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  /** Largest estimated result: each field costs 1, multiplied by the `first` of the lists around it. */
  maxCost: number;
}

/** A rejected document: HTTP 400 with this code. */
export interface LimitViolation {
  code:
    | 'DOCUMENT_TOO_LARGE'
    | 'TOO_MANY_TOKENS'
    | 'QUERY_TOO_DEEP'
    | 'TOO_MANY_ALIASES'
    | 'TOO_MANY_ROOT_FIELDS'
    | 'QUERY_TOO_COSTLY';
  message: string;
}

/** Page size a list field is assumed to return when it has no `first` argument. */
const LIST_WITHOUT_FIRST = 1;

function firstOf(
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  variables: Record<string, unknown>,
) {
  const arg = args?.find((a) => a.name.value === 'first');
  if (!arg) return LIST_WITHOUT_FIRST;
  const value =
    arg.value.kind === Kind.INT
      ? Number(arg.value.value)
      : arg.value.kind === Kind.VARIABLE
        ? variables[arg.value.name.value]
        : null;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : LIST_WITHOUT_FIRST;
}

/**
 * Measures a document against the limits; null when it passes. Parsing stops at the token limit,
 * and fragments are expanded once per spread (a fragment cycle is invalid GraphQL and counts as
 * too deep), so a hostile document costs little to refuse.
 */
export function checkLimits(
  query: string,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  operationName?: string | null,
): LimitViolation | null {
  if (Buffer.byteLength(query, 'utf8') > limits.maxDocumentBytes) {
    return { code: 'DOCUMENT_TOO_LARGE', message: `The document exceeds ${limits.maxDocumentBytes} bytes` };
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    // graphql-js: "Document contains more that N tokens. Parsing aborted."
    if (/\d+ tokens\. Parsing aborted/i.test((err as Error).message)) {
      return { code: 'TOO_MANY_TOKENS', message: `The document has more than ${limits.maxTokens} tokens` };
    }
    return null; // Syntax errors are GraphQL's to report.
  }
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operations.find((o) => o.kind === Kind.OPERATION_DEFINITION && o.name?.value === operationName) ?? operations[0];
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return null;

  let aliases = 0;
  let tooDeep = false;
  const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
    if (depth > limits.maxDepth) {
      tooDeep = true;
      return 0;
    }
    let cost = 0;
    for (const sel of set.selections) {
      if (tooDeep) return cost;
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases++;
        const inner = sel.selectionSet ? walk(sel.selectionSet, depth + 1, seen) : 0;
        cost += (1 + inner) * firstOf(sel.arguments, variables);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(sel.selectionSet, depth, seen);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment) continue;
        if (seen.has(fragment.name.value)) {
          tooDeep = true;
          return cost;
        }
        cost += walk(fragment.selectionSet, depth, new Set([...seen, fragment.name.value]));
      }
    }
    return cost;
  };
  const rootFields = operation.selectionSet.selections.length;
  const cost = walk(operation.selectionSet, 1, new Set());
  if (tooDeep) return { code: 'QUERY_TOO_DEEP', message: `The query nests deeper than ${limits.maxDepth} levels` };
  if (aliases > limits.maxAliases)
    return { code: 'TOO_MANY_ALIASES', message: `The query uses more than ${limits.maxAliases} aliases` };
  if (rootFields > limits.maxRootFields) {
    return { code: 'TOO_MANY_ROOT_FIELDS', message: `The query asks more than ${limits.maxRootFields} root fields` };
  }
  if (cost > limits.maxCost) {
    return { code: 'QUERY_TOO_COSTLY', message: `The query's estimated cost ${cost} exceeds ${limits.maxCost}` };
  }
  return null;
}
