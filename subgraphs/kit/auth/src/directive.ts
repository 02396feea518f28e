import {
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { fileURLToPath } from 'node:url';
import { DomainError } from '@measure-graph/errors';
import type { CallerContext } from './scopes.ts';

/**
 * Marks a field with the scope its caller needs. Each subgraph enforces it on its own fields, so a
 * subgraph reached without the gateway grants nothing more than the gateway would. The directive
 * stays in the subgraphs (the supergraph does not carry it): @apollo/gateway refuses supergraphs
 * with @requiresScopes.
 */
export const SCOPE_DIRECTIVE_SDL = `
"The scope a caller's access token must hold to read this field; the subgraph checks it on every read."
directive @scope(
  "The scope, e.g. dossiers:read or persons:read."
  requires: String!
) on FIELD_DEFINITION
`;

/** This module, where SCOPE_DIRECTIVE_SDL is written: composition reports name it for that SDL. */
export const SCOPE_DIRECTIVE_FILE = fileURLToPath(import.meta.url);

const requiredScope = (field: { astNode?: GraphQLField<unknown, unknown>['astNode'] | null }): string | undefined => {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'scope');
  const arg = directive?.arguments?.find((a) => a.name.value === 'requires');
  return arg?.value.kind === 'StringValue' ? arg.value.value : undefined;
};

/** Scope of an object type's field: its own @scope, or the one of the interface field it implements. */
function scopeOf(type: GraphQLObjectType, name: string): string | undefined {
  const own = requiredScope(type.getFields()[name]!);
  if (own) return own;
  for (const iface of type.getInterfaces()) {
    const inherited = iface.getFields()[name];
    if (inherited && requiredScope(inherited)) return requiredScope(inherited);
  }
  return undefined;
}

/**
 * Whether the caller holds a scope, for resolvers that serve a mix: a timeline includes the events
 * of another scope's objects (employments, contingents, inspections) only for callers holding it.
 */
export const hasScope = (ctx: CallerContext, scope: string): boolean => ctx.principal?.scopes.has(scope) ?? false;

/** The check itself: no token is UNAUTHENTICATED, a token without the scope is FORBIDDEN. */
export function assertScope(ctx: CallerContext, scope: string, what: string): void {
  if (!ctx.principal) {
    throw new DomainError('UNAUTHENTICATED', `${what} needs an access token with the scope "${scope}"`, { scope });
  }
  if (!ctx.principal.scopes.has(scope)) {
    throw new DomainError('FORBIDDEN', `${what} needs the scope "${scope}"`, { scope });
  }
}

/**
 * Wraps the resolver of every field marked @scope (directly or through its interface) with the
 * check, in place; returns the fields it guarded as `Type.field` -> scope (the tests list them).
 */
export function enforceScopes(schema: GraphQLSchema): Map<string, string> {
  const guarded = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    // By tag, not instanceof: @apollo/subgraph builds the schema with graphql's CommonJS build, this
    // module imports its ESM build, and graphql-js refuses to mix the two in its instanceof checks.
    if (Object.prototype.toString.call(type) !== '[object GraphQLObjectType]' || type.name.startsWith('__')) continue;
    const object = type as GraphQLObjectType;
    for (const field of Object.values(object.getFields())) {
      const scope = scopeOf(object, field.name);
      if (!scope) continue;
      const resolve: GraphQLFieldResolver<unknown, CallerContext> = field.resolve ?? defaultFieldResolver;
      const what = `${object.name}.${field.name}`;
      field.resolve = (source, args, ctx, info) => {
        assertScope(ctx, scope, what);
        return resolve(source, args, ctx, info);
      };
      guarded.set(what, scope);
    }
  }
  return guarded;
}
