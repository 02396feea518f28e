import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema coordinates an operation touches in `schema` (the format of RecordedOperation:
 * `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Input.field`, and `Type` for a type named in a
 * fragment's condition or an input type it passes). An enum passed in a variable may carry any of
 * its values, so every value counts as used: a removed value is then never thought unused.
 * Elements the schema does not have are skipped (the operation is invalid there anyway).
 */
export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const addInputType = (type: ReturnType<TypeInfo['getInputType']>) => {
    if (!type) return;
    const named = getNamedType(type);
    if (isInputObjectType(named)) used.add(named.name);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && typeInfo.getArgument()) used.add(`${parent.name}.${field.name}(${node.name.value}:)`);
        addInputType(typeInfo.getInputType());
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        const named = input && getNamedType(input);
        if (named && isInputObjectType(named) && named.getFields()[node.name.value]) {
          used.add(`${named.name}.${node.name.value}`);
        }
        addInputType(typeInfo.getInputType());
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type && getNamedType(type);
        if (named && isEnumType(named)) used.add(`${named.name}.${node.value}`);
      },
      InlineFragment(node) {
        if (node.typeCondition) used.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        used.add(node.typeCondition.name.value);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (!type) return;
        const named = getNamedType(type);
        if (isInputObjectType(named)) used.add(named.name);
        if (isEnumType(named)) for (const v of named.getValues()) used.add(`${named.name}.${v.name}`);
      },
    }),
  );
  return used;
}

/** The names of a document's operations, for reports (`anonymous` when it has none). */
export const operationNames = (document: DocumentNode): string[] =>
  document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? 'anonymous'] : []));
