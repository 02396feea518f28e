import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Query limits of the gateway; each has a sane default (config.ts, docs/operations.md). */
export interface QueryLimits {
  /** Largest GraphQL document, in bytes (the HTTP body may be larger: variables). */
  maxDocumentBytes: number;
  maxTokens: number;
  /** Deepest nesting of selections, fragments expanded. */
  maxDepth: number;
  /** Aliases in the operation, counted as often as the fragments holding them are spread. */
  maxAliases: number;
  maxRootFields: number;
  /** Largest estimated result: each field costs 1, multiplied by the size of the lists around it. */
  maxCost: number;
  /** Size a list field is assumed to return when it has no `first` (default 50). */
  assumedListSize?: number;
}

/** Accepted values of arguments every domain shares; outside them a request is a client error. */
export const ARGUMENT_RANGES = {
  year: { min: 2000, max: 2100 },
  quarter: { min: 1, max: 4 },
  first: { min: 1, max: 1000 },
} as const;

export type LimitCode =
  | 'DOCUMENT_TOO_LARGE'
  | 'TOO_MANY_TOKENS'
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_ROOT_FIELDS'
  | 'QUERY_TOO_COSTLY'
  | 'BAD_USER_INPUT';

/** A rejected request: HTTP 400 with this code. */
export interface LimitViolation {
  code: LimitCode;
  message: string;
  /** The argument at fault, for BAD_USER_INPUT. */
  field?: string;
}

const DEFAULT_LIST_SIZE = 50;

/** What one selection set adds up to, its fragments expanded (each fragment measured once). */
interface Measure {
  cost: number;
  depth: number;
  aliases: number;
  /** Fields at this level, through fragments: the root fields when this is the operation. */
  fields: number;
}

const NONE: Measure = { cost: 0, depth: 0, aliases: 0, fields: 0 };

const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\0')
    : Array.isArray(value)
      ? value.some(hasNul)
      : value !== null && typeof value === 'object'
        ? Object.values(value).some(hasNul)
        : false;

/** The shared arguments' ranges and NUL bytes in any string: a coded client error, never a database error. */
function checkArguments(field: string, args: Record<string, unknown>): LimitViolation | null {
  for (const [name, value] of Object.entries(args)) {
    const range = ARGUMENT_RANGES[name as keyof typeof ARGUMENT_RANGES];
    if (range && typeof value === 'number' && (value < range.min || value > range.max)) {
      return {
        code: 'BAD_USER_INPUT',
        field: `${field}.${name}`,
        message: `${name} of ${field} must be between ${range.min} and ${range.max}, got ${value}`,
      };
    }
    if (hasNul(value)) {
      return {
        code: 'BAD_USER_INPUT',
        field: `${field}.${name}`,
        message: `${name} of ${field} contains a NUL character`,
      };
    }
  }
  return null;
}

/** Argument values without a schema: literals and variables as sent (the pre-check of raw text). */
function literalArguments(node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const value = (v: ValueNode): unknown => {
    switch (v.kind) {
      case Kind.INT:
      case Kind.FLOAT:
        return Number(v.value);
      case Kind.STRING:
      case Kind.ENUM:
        return v.value;
      case Kind.BOOLEAN:
        return v.value;
      case Kind.VARIABLE:
        return variables[v.name.value];
      case Kind.LIST:
        return v.values.map(value);
      case Kind.OBJECT:
        return Object.fromEntries(v.fields.map((f) => [f.name.value, value(f.value)]));
      default:
        return null;
    }
  };
  return Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, value(a.value)]));
}

/**
 * Measures one operation in time linear in the document: every fragment is measured once and its
 * figures reused at each spread, so fragments that spread each other twice per level cost nothing
 * to refuse. With a schema, arguments are coerced (variable and argument defaults count) and a
 * list field without `first` counts `assumedListSize`; without one (the raw-text pre-check) only
 * the `first` written in the document or its variables counts.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  schema?: GraphQLSchema,
): LimitViolation | null {
  let coerced = variables;
  if (schema) {
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
    // Bad variables are GraphQL's to report, with its own message.
    if (result.errors) return null;
    coerced = result.coerced;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const listSize = limits.assumedListSize ?? DEFAULT_LIST_SIZE;
  const memo = new Map<string, Measure | 'measuring'>();
  let problem: LimitViolation | null = null;

  const typeNamed = (name: string | undefined, fallback: GraphQLNamedType | undefined) =>
    name && schema ? schema.getType(name) : fallback;

  const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
    parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;

  const measureSet = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): Measure => {
    let cost = 0;
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    for (const sel of set.selections) {
      if (problem) return NONE;
      let inner: Measure;
      if (sel.kind === Kind.FIELD) {
        fields++;
        if (sel.alias) aliases++;
        const def = fieldOf(parent, sel.name.value);
        let args: Record<string, unknown>;
        try {
          args = def ? getArgumentValues(def, sel, coerced) : literalArguments(sel, coerced);
        } catch {
          args = {}; // Invalid arguments are GraphQL's to report.
        }
        problem = checkArguments(`${parent?.name ?? ''}${parent ? '.' : ''}${sel.name.value}`, args);
        if (problem) return NONE;
        inner = sel.selectionSet ? measureSet(sel.selectionSet, def ? getNamedType(def.type) : undefined) : NONE;
        const first = typeof args.first === 'number' ? args.first : undefined;
        // A connection's `nodes`/`edges` (a change list's `nodes`/`deletedIds`) are the page its
        // `first` already counted.
        const pageOfConnection =
          (/Connection$/.test(parent?.name ?? '') && /^(nodes|edges)$/.test(sel.name.value)) ||
          (/Changes$/.test(parent?.name ?? '') && /^(nodes|deletedIds)$/.test(sel.name.value));
        const multiplier =
          first !== undefined
            ? Math.max(first, 1)
            : def && isListType(getNullableType(def.type)) && !pageOfConnection
              ? listSize
              : 1;
        cost += (1 + inner.cost) * multiplier;
        depth = Math.max(depth, 1 + inner.depth);
        aliases += inner.aliases;
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSet(sel.selectionSet, typeNamed(sel.typeCondition?.name.value, parent));
      } else {
        const name = sel.name.value;
        const known = memo.get(name);
        if (known === 'measuring') {
          // A fragment that spreads itself: invalid GraphQL, and endless to expand.
          problem = { code: 'QUERY_TOO_DEEP', message: `Fragment ${name} spreads itself` };
          return NONE;
        }
        if (known) inner = known;
        else {
          const fragment = fragments.get(name);
          if (!fragment) continue;
          memo.set(name, 'measuring');
          inner = measureSet(fragment.selectionSet, typeNamed(fragment.typeCondition.name.value, parent));
          memo.set(name, inner);
        }
      }
      cost += inner.cost;
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      fields += inner.fields;
    }
    return { cost, depth, aliases, fields };
  };

  const root = schema
    ? operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType()
    : undefined;
  const total = measureSet(operation.selectionSet, root ?? undefined);
  if (problem) return problem;
  if (total.depth > limits.maxDepth)
    return { code: 'QUERY_TOO_DEEP', message: `The query nests deeper than ${limits.maxDepth} levels` };
  if (total.aliases > limits.maxAliases)
    return { code: 'TOO_MANY_ALIASES', message: `The query uses more than ${limits.maxAliases} aliases` };
  if (total.fields > limits.maxRootFields)
    return { code: 'TOO_MANY_ROOT_FIELDS', message: `The query asks more than ${limits.maxRootFields} root fields` };
  if (total.cost > limits.maxCost) {
    const cost = Number.isFinite(total.cost) && total.cost < 1e15 ? String(total.cost) : 'beyond counting';
    return { code: 'QUERY_TOO_COSTLY', message: `The query's estimated cost ${cost} exceeds ${limits.maxCost}` };
  }
  return null;
}

/**
 * The check of a raw document before anything else (the HTTP layer): size, then tokens (parsing
 * stops at the limit), then the operation that will run measured without a schema. Syntax errors
 * and unknown operations are left to GraphQL, which reports them with its own codes.
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
    return null;
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null;
  return measureOperation(document, operation, variables, limits);
}
