import { Supergraph } from '@apollo/federation-internals';
import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { RecordedOperation } from '@measure-graph/schema-usage';
import type { AnySubgraphDefinition } from '@measure-graph/subgraph-platform';
import { composeWithDiagnostics, formatDiagnostic, type CompositionDiagnostic } from './composition.ts';
import { coordinatesOf } from './coordinates.ts';
import { definitionNodes, formatLocation, locateNode, type SourceLocation } from './locate.ts';
import { SupergraphOwners } from './supergraph-owners.ts';

/** An operation kept in the repository (schema/operations, the safelist). */
export interface RepoOperation {
  name: string;
  /** Relative to the repository root. */
  file: string;
  document: string;
}

/**
 * A breaking change the graph's owners accept although operations use the element: an entry of
 * schema/breaking-changes.json (see docs/domain-teams.md, "Checking a schema change").
 */
export interface Acknowledgement {
  /** Schema coordinate as the report prints it, e.g. `TrainingLeave.advancePaidOn`, `Query.measure(code:)`. */
  coordinate: string;
  /** The change type as the report prints it, e.g. `FIELD_REMOVED`. */
  change: string;
  /** Why it is acceptable: who was told, what replaces it. */
  reason: string;
  /** YYYY-MM-DD, when it was agreed. */
  date: string;
}

export interface CheckInput {
  subgraphs: readonly AnySubgraphDefinition[];
  /** The supergraph SDL the change is compared with (the committed one at the base ref); null: none. */
  baseSupergraph: string | null;
  repoOperations: readonly RepoOperation[];
  recordedOperations: readonly RecordedOperation[];
  acknowledgements: readonly Acknowledgement[];
  /** Recorded operations last seen within this many days before `today` count as in use. */
  windowDays: number;
  /** YYYY-MM-DD (UTC). */
  today: string;
}

/** An operation that uses a changed element, or no longer validates. */
export type OperationRef =
  | { source: 'repository'; name: string; file: string }
  | {
      source: 'recorded';
      name: string | null;
      hash: string;
      clients: Array<{ name: string; version: string }>;
      lastSeen: string;
      count: number;
    };

export type Criticality = 'breaking' | 'dangerous' | 'safe';

/**
 * `fails`: breaking and used. `unused`: breaking, no known or recorded operation used it in the
 * window. `acknowledged`: breaking, accepted in breaking-changes.json. `deprecation-expired`:
 * breaking, the element's deprecation named a removal date that has passed. `ok`: not breaking.
 */
export type Verdict = 'fails' | 'unused' | 'acknowledged' | 'deprecation-expired' | 'ok';

export interface ChangeReport {
  type: string;
  coordinate: string;
  message: string;
  criticality: Criticality;
  /** Subgraphs that define the element (or, for a removed one, defined it in the base). */
  subgraphs: string[];
  /** Where it is (or, when removed, its enclosing element is) written in the subgraphs' SDL. */
  locations: SourceLocation[];
  usedBy: OperationRef[];
  verdict: Verdict;
  acknowledgement?: Acknowledgement;
}

export interface InvalidOperation {
  operation: OperationRef;
  errors: string[];
  /** Every breaking change it is broken by is acknowledged (or expired): reported, not failed. */
  accepted: boolean;
}

export interface CheckReport {
  ok: boolean;
  composition: { errors: CompositionDiagnostic[]; hints: CompositionDiagnostic[] };
  changes: ChangeReport[];
  invalidOperations: InvalidOperation[];
  /** Anything a reviewer should know that does not fail the check. */
  notes: string[];
}

const CRITICALITY: Record<CriticalityLevel, Criticality> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/** `Type.field.arg` (inspector's path of an argument) as the schema coordinate `Type.field(arg:)`. */
export function coordinateOf(change: Change): string {
  const path = change.path ?? '';
  const parts = path.split('.');
  if (change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3) return `${parts[0]}.${parts[1]}(${parts[2]}:)`;
  return path;
}

const isRequired = (typeName: string) => typeName.endsWith('!');

/**
 * Which coordinates an operation must use to be hurt by a change. Removing or changing an element
 * hurts its users; a newly required argument or input field hurts every user of the field or input
 * type, since they do not send it; a removed enum value hurts operations that send it (operations
 * that only receive it get one value fewer).
 */
function affects(change: Change, coordinate: string): (used: string) => boolean {
  const exact = (c: string) => (used: string) => used === c;
  const [typeName, memberName] = coordinate.split(/[.(]/);
  const fieldCoordinate = `${typeName}.${memberName}`;
  const meta = change.meta as Record<string, unknown>;
  switch (change.type) {
    case ChangeType.FieldArgumentAdded:
      return exact(fieldCoordinate);
    case ChangeType.FieldArgumentTypeChanged:
      return isRequired(String(meta['newArgumentType'])) && !isRequired(String(meta['oldArgumentType']))
        ? exact(fieldCoordinate)
        : exact(coordinate);
    case ChangeType.InputFieldAdded:
      return exact(typeName!);
    case ChangeType.InputFieldTypeChanged:
      return isRequired(String(meta['newInputFieldType'])) && !isRequired(String(meta['oldInputFieldType']))
        ? exact(typeName!)
        : exact(coordinate);
    case ChangeType.UnionMemberRemoved:
      return exact(String(meta['removedUnionMemberTypeName']));
    case ChangeType.ObjectTypeInterfaceRemoved:
      return (used) => used === typeName || used === String(meta['removedInterfaceName']);
    case ChangeType.TypeRemoved:
    case ChangeType.TypeKindChanged:
      return (used) => used === typeName || used.startsWith(`${typeName}.`);
    default:
      return memberName ? exact(coordinate) : (used) => used === typeName || used.startsWith(`${typeName}.`);
  }
}

const REMOVALS = new Set<string>([
  ChangeType.FieldRemoved,
  ChangeType.EnumValueRemoved,
  ChangeType.InputFieldRemoved,
  ChangeType.FieldArgumentRemoved,
]);

/** `@deprecated(reason: "... removal after 2026-03-01 ...")`: the date after which removing it is agreed. */
const REMOVAL_AFTER = /removal after (\d{4}-\d{2}-\d{2})/i;

/** The deprecation reason of a coordinate in a schema, if it is deprecated. */
function deprecationOf(schema: GraphQLSchema, coordinate: string): string | undefined {
  const m = /^(\w+)\.(\w+)(?:\((\w+):\))?$/.exec(coordinate);
  if (!m) return undefined;
  const [, typeName, member, arg] = m;
  const type = schema.getType(typeName!);
  if (isEnumType(type)) return type.getValue(member!)?.deprecationReason ?? undefined;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    const field = type.getFields()[member!];
    if (!field) return undefined;
    if (arg)
      return 'args' in field ? (field.args.find((a) => a.name === arg)?.deprecationReason ?? undefined) : undefined;
    return field.deprecationReason ?? undefined;
  }
  return undefined;
}

/** The day `days` before `day` (YYYY-MM-DD, UTC). */
export const dayMinus = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

interface KnownOperation {
  ref: OperationRef;
  document: DocumentNode | null;
  parseError?: string;
  coordinates: Set<string>;
}

function repoOperationsOf(ops: readonly RepoOperation[], base: GraphQLSchema | null): KnownOperation[] {
  return ops.map((op) => {
    const ref: OperationRef = { source: 'repository', name: op.name, file: op.file };
    try {
      const document = parse(op.document);
      return { ref, document, coordinates: base ? coordinatesOf(base, document) : new Set() };
    } catch (err) {
      return { ref, document: null, parseError: (err as Error).message, coordinates: new Set() };
    }
  });
}

function recordedOperationsOf(ops: readonly RecordedOperation[]): KnownOperation[] {
  return ops.map((op) => {
    const ref: OperationRef = {
      source: 'recorded',
      name: op.name,
      hash: op.hash,
      clients: op.clients,
      lastSeen: op.lastSeen,
      count: op.count,
    };
    try {
      return { ref, document: parse(op.document), coordinates: new Set(op.coordinates) };
    } catch (err) {
      return { ref, document: null, parseError: (err as Error).message, coordinates: new Set(op.coordinates) };
    }
  });
}

function locationsOf(
  coordinate: string,
  owners: string[],
  subgraphs: readonly AnySubgraphDefinition[],
): SourceLocation[] {
  return subgraphs
    .filter((s) => owners.includes(s.name))
    .flatMap((s) => {
      const nodes = definitionNodes(s.typeDefs, coordinate);
      return nodes.length > 0 ? nodes.map((n) => locateNode(s, n)) : [{ subgraph: s.name }];
    });
}

/**
 * The schema check: composes the subgraphs, classifies every change of the public API schema
 * against the base (graphql-inspector), and weighs each breaking change by the operations that use
 * it: the repository's and those recorded within the window. Pure: every input is given, so tests
 * drive it with modified subgraphs and made-up usage.
 */
export async function checkSchema(input: CheckInput): Promise<CheckReport> {
  const notes: string[] = [];
  const composed = composeWithDiagnostics(input.subgraphs);
  if (!composed.ok) {
    return {
      ok: false,
      composition: { errors: composed.errors, hints: composed.hints },
      changes: [],
      invalidOperations: [],
      notes,
    };
  }
  const next = composed.apiSchema;
  const nextOwners = new SupergraphOwners(composed.supergraphSdl);
  const base =
    input.baseSupergraph === null ? null : Supergraph.build(input.baseSupergraph).apiSchema().toGraphQLJSSchema();
  const baseOwners = input.baseSupergraph === null ? null : new SupergraphOwners(input.baseSupergraph);
  if (!base) notes.push('No base supergraph: changes are not classified, operations are still validated.');

  const since = dayMinus(input.today, input.windowDays);
  const inWindow = input.recordedOperations.filter((op) => op.lastSeen >= since);
  if (inWindow.length < input.recordedOperations.length) {
    notes.push(
      `${input.recordedOperations.length - inWindow.length} recorded operation(s) last seen before ${since} ` +
        `(outside the ${input.windowDays}-day window) were not considered.`,
    );
  }
  const operations = [...repoOperationsOf(input.repoOperations, base), ...recordedOperationsOf(inWindow)];

  const changes: ChangeReport[] = [];
  for (const change of base ? await diff(base, next) : []) {
    const coordinate = coordinateOf(change);
    const criticality = CRITICALITY[change.criticality.level];
    const existsNow = nextOwners.of(coordinate).length > 0 && definitionExists(next, coordinate);
    const owners = existsNow ? nextOwners.of(coordinate) : (baseOwners?.of(coordinate) ?? []);
    const hurts = affects(change, coordinate);
    const usedBy =
      criticality === 'breaking' ? operations.filter((op) => [...op.coordinates].some(hurts)).map((op) => op.ref) : [];
    const report: ChangeReport = {
      type: change.type,
      coordinate,
      message: change.message,
      criticality,
      subgraphs: owners,
      locations: locationsOf(coordinate, owners, input.subgraphs),
      usedBy,
      verdict: 'ok',
    };
    if (criticality === 'breaking') {
      const acknowledgement = input.acknowledgements.find(
        (a) => a.coordinate === coordinate && a.change === change.type,
      );
      const removalAfter = REMOVAL_AFTER.exec(deprecationOf(base!, coordinate) ?? '')?.[1];
      if (acknowledgement) {
        report.verdict = 'acknowledged';
        report.acknowledgement = acknowledgement;
      } else if (REMOVALS.has(change.type) && removalAfter !== undefined && removalAfter < input.today) {
        report.verdict = 'deprecation-expired';
      } else {
        report.verdict = usedBy.length > 0 ? 'fails' : 'unused';
      }
    }
    changes.push(report);
  }
  for (const a of input.acknowledgements) {
    if (!changes.some((c) => c.acknowledgement === a)) {
      notes.push(`breaking-changes.json: ${a.change} ${a.coordinate} matches no change against the base.`);
    }
  }

  const invalidOperations: InvalidOperation[] = [];
  for (const op of operations) {
    const errors = op.document
      ? validate(next, op.document).map((e) => e.message)
      : [`does not parse: ${op.parseError}`];
    if (errors.length === 0) continue;
    const breakers = changes.filter((c) => c.usedBy.includes(op.ref));
    // A client's operation broken only by accepted changes is the accepted cost; the repository's own
    // operations are changed with the schema, so an invalid one always fails.
    const accepted =
      op.ref.source === 'recorded' &&
      breakers.length > 0 &&
      breakers.every((c) => c.verdict === 'acknowledged' || c.verdict === 'deprecation-expired');
    invalidOperations.push({ operation: op.ref, errors, accepted });
  }

  const ok = changes.every((c) => c.verdict !== 'fails') && invalidOperations.every((o) => o.accepted);
  return { ok, composition: { errors: [], hints: composed.hints }, changes, invalidOperations, notes };
}

/** Whether the element itself (not just its type) is in the schema. */
function definitionExists(schema: GraphQLSchema, coordinate: string): boolean {
  const m = /^(\w+)(?:\.(\w+)(?:\((\w+):\))?)?$/.exec(coordinate);
  if (!m) return false;
  const [, typeName, member, arg] = m;
  const type = schema.getType(typeName!);
  if (!type) return false;
  if (!member) return true;
  if (isEnumType(type)) return type.getValue(member) !== undefined;
  if (!(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) return false;
  const field = type.getFields()[member];
  if (!field) return false;
  return !arg || ('args' in field && field.args.some((a) => a.name === arg));
}

export function formatOperation(op: OperationRef): string {
  if (op.source === 'repository') return `${op.name} (${op.file})`;
  const clients = op.clients.map((c) => `${c.name}@${c.version}`).join(', ') || 'unknown client';
  return `${op.name ?? 'anonymous'} [recorded ${op.hash.slice(0, 12)}; ${clients}; last seen ${op.lastSeen}; ${op.count}x]`;
}

const VERDICT_TEXT: Record<Verdict, string> = {
  fails: 'FAILS: used',
  unused: 'passes: no known or recorded operation uses it',
  acknowledged: 'passes: acknowledged in schema/breaking-changes.json',
  'deprecation-expired': 'passes: its deprecation named a removal date that has passed',
  ok: '',
};

/** The report as a reviewer reads it: failures first, then passing breaking changes, then the rest. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  const { errors, hints } = report.composition;
  if (errors.length > 0) {
    out.push(`Composition failed (${errors.length} error(s)):`);
    for (const e of errors) out.push(`  ${formatDiagnostic(e).replaceAll('\n', '\n  ')}`);
  }
  if (hints.length > 0)
    out.push(
      `Composition hints: ${hints.length} (${[...new Set(hints.map((h) => h.code))].join(', ')}); \`npm run compose\` prints them.`,
    );
  const breaking = report.changes.filter((c) => c.criticality === 'breaking');
  const order: Verdict[] = ['fails', 'acknowledged', 'deprecation-expired', 'unused'];
  for (const c of [...breaking].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))) {
    out.push(`${c.verdict === 'fails' ? 'x' : '-'} BREAKING ${c.type} ${c.coordinate}: ${c.message}`);
    out.push(
      `    ${VERDICT_TEXT[c.verdict]}${c.acknowledgement ? ` (${c.acknowledgement.date}: ${c.acknowledgement.reason})` : ''}`,
    );
    for (const l of c.locations) out.push(`    at ${formatLocation(l)}`);
    for (const op of c.usedBy) out.push(`    used by ${formatOperation(op)}`);
  }
  for (const c of report.changes.filter((c) => c.criticality === 'dangerous')) {
    out.push(`! DANGEROUS ${c.type} ${c.coordinate}: ${c.message}`);
    for (const l of c.locations) out.push(`    at ${formatLocation(l)}`);
  }
  const safe = report.changes.filter((c) => c.criticality === 'safe');
  // Descriptions change by the hundred when a team documents its SDL: counted, not listed.
  const described = safe.filter((c) => c.type.includes('DESCRIPTION'));
  if (safe.length > 0) {
    out.push(`Safe changes: ${safe.length}${described.length > 0 ? ` (${described.length} of descriptions)` : ''}`);
    for (const c of safe.filter((c) => !described.includes(c))) out.push(`  ${c.type} ${c.coordinate}`);
  }
  for (const o of report.invalidOperations) {
    out.push(
      `${o.accepted ? '-' : 'x'} operation ${formatOperation(o.operation)} no longer validates${o.accepted ? ' (only acknowledged changes break it)' : ''}:`,
    );
    for (const e of o.errors) out.push(`    ${e}`);
  }
  for (const n of report.notes) out.push(`note: ${n}`);
  if (report.changes.length === 0 && errors.length === 0) out.push('No change of the public API schema.');
  out.push(report.ok ? 'schema:check passed.' : 'schema:check FAILED.');
  return out.join('\n') + '\n';
}
