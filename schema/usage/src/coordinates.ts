import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** What a document uses, found once per distinct document. */
export interface DocumentCoordinates {
  /** Coordinates the document uses whatever its variables say, sorted. */
  coordinates: string[];
  /** Variables whose values can name enum values or input fields, walked per request (variableCoordinates). */
  variables: Array<{ name: string; type: GraphQLInputType }>;
}

/** Built-in scalars and directives are part of every schema: a coordinate of theirs says nothing. */
const own = (type: GraphQLNamedType | null | undefined): type is GraphQLNamedType =>
  !!type && !isSpecifiedScalarType(type) && !type.name.startsWith('__');

/**
 * The schema coordinates a (valid) document uses, walked with graphql-js's TypeInfo against the
 * schema clients see (the API schema): `Type.field` for every field selected (on the type it is
 * selected on: an interface's field stays the interface's), `Type.field(argument:)` and
 * `@directive(argument:)` for every argument given, `Input.field` and `Enum.VALUE` for literals,
 * `Type` for every type selected on, named in a fragment or given a variable. Every operation of
 * the document counts: a document is recorded whole, whichever operation ran.
 */
export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): DocumentCoordinates {
  const found = new Set<string>();
  const variables: DocumentCoordinates['variables'] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!own(parent) || node.name.value.startsWith('__')) return;
        found.add(parent.name);
        found.add(`${parent.name}.${node.name.value}`);
        const returned = getNamedType(typeInfo.getType());
        if (own(returned)) found.add(returned.name);
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        if (directive) {
          if (!isSpecifiedDirective(directive)) found.add(`@${directive.name}(${node.name.value}:)`);
          return;
        }
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (own(parent) && field) found.add(`${parent.name}.${field.name}(${node.name.value}:)`);
      },
      Directive() {
        const directive = typeInfo.getDirective();
        if (directive && !isSpecifiedDirective(directive)) found.add(`@${directive.name}`);
      },
      ObjectField(node) {
        const input = getNamedType(typeInfo.getParentInputType());
        if (isInputObjectType(input)) found.add(input.name).add(`${input.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = getNamedType(typeInfo.getInputType());
        if (isEnumType(type)) found.add(type.name).add(`${type.name}.${node.value}`);
      },
      InlineFragment(node) {
        if (node.typeCondition) found.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        found.add(node.typeCondition.name.value);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type) as GraphQLInputType | undefined;
        const named = getNamedType(type);
        if (!type || !own(named)) return;
        found.add(named.name);
        if (isEnumType(named) || isInputObjectType(named)) variables.push({ name: node.variable.name.value, type });
      },
    }),
  );
  return { coordinates: [...found].sort(), variables };
}

/**
 * Enum values and input fields a request's variables name (e.g. `status: $status` with
 * `{"status": "ACTIVE"}` uses `MeasureStatus.ACTIVE`). Values are read, never kept; the walk stops
 * after `budget` nodes so a huge variable costs no more than a small one.
 */
export function variableCoordinates(
  document: DocumentCoordinates,
  values: Record<string, unknown> | undefined,
  into: Set<string>,
  budget = 500,
): void {
  if (!values || document.variables.length === 0) return;
  const left = { n: budget };
  for (const { name, type } of document.variables) walk(type, values[name], into, left);
}

function walk(type: GraphQLInputType, value: unknown, into: Set<string>, left: { n: number }): void {
  if (value === null || value === undefined || left.n-- <= 0) return;
  if (isNonNullType(type)) return walk(type.ofType, value, into, left);
  if (isListType(type)) {
    if (Array.isArray(value)) for (const item of value) walk(type.ofType, item, into, left);
    else walk(type.ofType, value, into, left);
    return;
  }
  if (isEnumType(type)) {
    if (typeof value === 'string' && type.getValue(value)) into.add(`${type.name}.${value}`);
    return;
  }
  if (isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.getFields();
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (!field) continue;
      into.add(`${type.name}.${key}`);
      walk(field.type, inner, into, left);
    }
  }
}
