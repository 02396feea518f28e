import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../src/compose.ts';
import {
  checkSchema,
  formatReport,
  type Acknowledgement,
  type CheckInput,
  type ChangeReport,
} from '../src/schema-check.ts';
import { subgraphs } from '../src/subgraphs.ts';
import { editSdl, lineOf, recorded } from './sdl-fixtures.ts';

const TODAY = '2026-12-01';
const base = composeSupergraph(subgraphs);
const COMPETENCES = 'subgraphs/competences/src/schema.graphql';
const REGISTRY = 'subgraphs/registry/src/schema.graphql';
const MEASURE_MODULE = 'subgraphs/kit/measure-module/src/measure-module.graphql';

const TRAINING_LEAVE_OP = `query TrainingLeaveAdvances($id: ID!) {
  person(id: $id) { trainingLeave { id advancePaidOn } }
}`;

const check = (input: Partial<CheckInput>) =>
  checkSchema({
    subgraphs,
    baseSupergraph: base,
    repoOperations: [],
    recordedOperations: [],
    acknowledgements: [],
    windowDays: 30,
    today: TODAY,
    ...input,
  });

const withoutAdvancePaidOn = () =>
  editSdl(subgraphs, COMPETENCES, / {2}"When an advance \(voorschot\)[^\n]*\n {2}advancePaidOn: Date\n/, '');

const change = (changes: ChangeReport[], coordinate: string) => {
  const found = changes.filter((c) => c.coordinate === coordinate);
  expect(found, coordinate).toHaveLength(1);
  return found[0]!;
};

describe('schema:check against the committed base', () => {
  it('passes the current tree with no change', async () => {
    const report = await check({});
    expect(report.ok).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.invalidOperations).toEqual([]);
  });

  it('passes added fields and descriptions as safe, counting description changes', async () => {
    const edited = editSdl(
      subgraphs,
      COMPETENCES,
      / {2}"When an advance \(voorschot\)[^\n]*\n {2}advancePaidOn: Date\n/,
      '  "When an advance (voorschot) was paid on the request (its day); null when none."\n  advancePaidOn: Date\n  advanceAmount: String\n',
    );
    const report = await check({ subgraphs: edited });
    expect(report.ok).toBe(true);
    expect(report.changes.map((c) => [c.type, c.coordinate, c.criticality]).sort()).toEqual([
      ['FIELD_ADDED', 'TrainingLeave.advanceAmount', 'safe'],
      ['FIELD_DESCRIPTION_CHANGED', 'TrainingLeave.advancePaidOn', 'safe'],
    ]);
    expect(formatReport(report)).toContain(
      'Safe changes: 2 (1 of descriptions)\n  FIELD_ADDED TrainingLeave.advanceAmount\n',
    );
  });

  it('fails when a recorded operation uses a removed field, naming the operation, subgraph, file and line', async () => {
    const op = recorded(base, TRAINING_LEAVE_OP, { lastSeen: '2026-11-28' });
    const report = await check({ subgraphs: withoutAdvancePaidOn(), recordedOperations: [op] });
    expect(report.ok).toBe(false);
    const removed = change(report.changes, 'TrainingLeave.advancePaidOn');
    expect(removed).toMatchObject({ type: 'FIELD_REMOVED', criticality: 'breaking', verdict: 'fails' });
    expect(removed.subgraphs).toEqual(['competences']);
    // The field is gone: the report points at the type it was removed from.
    expect(removed.locations).toEqual([
      {
        subgraph: 'competences',
        file: COMPETENCES,
        line: lineOf(COMPETENCES, 'type TrainingLeave {'),
        column: 6,
        origin: 'file',
      },
    ]);
    expect(removed.usedBy).toEqual([
      {
        source: 'recorded',
        name: 'TrainingLeaveAdvances',
        hash: op.hash,
        clients: [{ name: 'bi-dashboard', version: '3.1.0' }],
        lastSeen: '2026-11-28',
        count: 17,
      },
    ]);
    expect(report.invalidOperations.map((o) => [o.operation.name, o.accepted])).toEqual([
      ['TrainingLeaveAdvances', false],
    ]);
    const text = formatReport(report);
    expect(text).toContain('x BREAKING FIELD_REMOVED TrainingLeave.advancePaidOn');
    expect(text).toContain(`at [competences] ${COMPETENCES}:${lineOf(COMPETENCES, 'type TrainingLeave {')}`);
    expect(text).toContain('used by TrainingLeaveAdvances [recorded');
    expect(text).toContain('schema:check FAILED.');
  });

  it('passes the removal of a field no operation uses, with a note', async () => {
    const otherOp = recorded(base, '{ measures { code name } }', { lastSeen: '2026-11-30' });
    const report = await check({ subgraphs: withoutAdvancePaidOn(), recordedOperations: [otherOp] });
    expect(report.ok).toBe(true);
    expect(change(report.changes, 'TrainingLeave.advancePaidOn')).toMatchObject({ verdict: 'unused', usedBy: [] });
    expect(formatReport(report)).toContain('passes: no known or recorded operation uses it');
  });

  it('counts recorded use only within the window', async () => {
    const old = recorded(base, TRAINING_LEAVE_OP, { lastSeen: '2026-09-01' });
    const report = await check({ subgraphs: withoutAdvancePaidOn(), recordedOperations: [old] });
    expect(report.ok).toBe(true);
    expect(report.notes.join('\n')).toContain('1 recorded operation(s) last seen before 2026-11-01');
    const longer = await check({ subgraphs: withoutAdvancePaidOn(), recordedOperations: [old], windowDays: 120 });
    expect(longer.ok).toBe(false);
  });

  it('classifies nullability changes of outputs: nullable to non-null is safe, non-null to nullable breaking', async () => {
    const edited = editSdl(
      editSdl(subgraphs, COMPETENCES, 'advancePaidOn: Date\n', 'advancePaidOn: Date!\n'),
      COMPETENCES,
      /( {2}scheme: )String!(\n {2}"[^\n]*"\n {2}course: Course!\n)/,
      '$1String$2',
    );
    const op = recorded(base, '{ person(id: "P1") { trainingLeave { scheme } } }', { lastSeen: TODAY });
    const report = await check({ subgraphs: edited, recordedOperations: [op] });
    expect(change(report.changes, 'TrainingLeave.advancePaidOn')).toMatchObject({
      type: 'FIELD_TYPE_CHANGED',
      criticality: 'safe',
    });
    // The operation still validates: only the usage shows a client expecting a value may get null.
    expect(change(report.changes, 'TrainingLeave.scheme')).toMatchObject({
      type: 'FIELD_TYPE_CHANGED',
      criticality: 'breaking',
      verdict: 'fails',
    });
    expect(report.invalidOperations).toEqual([]);
    expect(report.ok).toBe(false);
  });

  it('classifies nullability changes of inputs and arguments: made optional is safe, made required breaking', async () => {
    const edited = editSdl(
      subgraphs,
      MEASURE_MODULE,
      /(input DossierFilter \{\n.*\n) {2}year: Int\n/,
      '$1  year: Int!\n',
    );
    const optionalHours = editSdl(
      edited,
      COMPETENCES,
      /( {2}requestedOn: Date!\n {2}"[^\n]*"\n {2}hours: )Int!\n\}/,
      '$1Int\n}',
    );
    const requiredDomain = editSdl(
      optionalHours,
      REGISTRY,
      /(measures\(\n {4}"[^\n]*"\n {4}domain: )Domain\n/,
      '$1Domain!\n',
    );
    const report = await check({ subgraphs: requiredDomain });
    expect(change(report.changes, 'DossierFilter.year')).toMatchObject({
      type: 'INPUT_FIELD_TYPE_CHANGED',
      criticality: 'breaking',
    });
    expect(change(report.changes, 'RequestTrainingLeaveInput.hours')).toMatchObject({
      type: 'INPUT_FIELD_TYPE_CHANGED',
      criticality: 'safe',
    });
    const domainArg = change(report.changes, 'Query.measures(domain:)');
    expect(domainArg).toMatchObject({ type: 'FIELD_ARGUMENT_TYPE_CHANGED', criticality: 'breaking' });
    expect(domainArg.locations).toEqual([
      // The argument, on its own line below its description.
      {
        subgraph: 'registry',
        file: REGISTRY,
        line: lineOf(REGISTRY, '    domain: Domain'),
        column: 5,
        origin: 'file',
      },
    ]);

    // An argument made required breaks every caller of the field, also those that never passed it.
    const caller = recorded(base, '{ measures { code } }', { lastSeen: TODAY });
    const withCaller = await check({ subgraphs: requiredDomain, recordedOperations: [caller] });
    expect(change(withCaller.changes, 'Query.measures(domain:)').verdict).toBe('fails');
    expect(withCaller.invalidOperations.map((o) => o.operation.name)).toEqual([null]);
  });

  it('classifies a new required argument as breaking for every caller of the field', async () => {
    const edited = editSdl(
      subgraphs,
      COMPETENCES,
      /(trainingLeaveFigures\(\n {4}"[^\n]*"\n {4}schoolYear: String!\n)/,
      '$1    region: String!\n',
    );
    const op = recorded(base, '{ trainingLeaveFigures(schoolYear: "2019-2020") { __typename } }', { lastSeen: TODAY });
    const report = await check({ subgraphs: edited, recordedOperations: [op] });
    expect(change(report.changes, 'Query.trainingLeaveFigures(region:)')).toMatchObject({
      type: 'FIELD_ARGUMENT_ADDED',
      criticality: 'breaking',
      verdict: 'fails',
      subgraphs: ['competences'],
    });
    expect(report.ok).toBe(false);
  });

  it('classifies a removed enum value as breaking, failing only when an operation sends it', async () => {
    const edited = editSdl(subgraphs, REGISTRY, '  "Being reformed (in hervorming)."\n  REFORM\n', '');
    const unused = await check({ subgraphs: edited });
    expect(change(unused.changes, 'MeasureStatus.REFORM')).toMatchObject({
      type: 'ENUM_VALUE_REMOVED',
      criticality: 'breaking',
      verdict: 'unused',
    });
    expect(unused.ok).toBe(true);

    const sends = recorded(base, '{ measures(status: REFORM) { code } }', { lastSeen: TODAY });
    const receives = recorded(base, '{ measures { code status } }', { lastSeen: TODAY });
    const used = await check({ subgraphs: edited, recordedOperations: [sends, receives] });
    expect(change(used.changes, 'MeasureStatus.REFORM').usedBy.map((o) => o.source === 'recorded' && o.hash)).toEqual([
      sends.hash,
    ]);
    expect(used.ok).toBe(false);
  });

  it('passes an acknowledged breaking change, and reports the recorded operations it breaks as accepted', async () => {
    const op = recorded(base, TRAINING_LEAVE_OP, { lastSeen: TODAY });
    const ack: Acknowledgement = {
      coordinate: 'TrainingLeave.advancePaidOn',
      change: 'FIELD_REMOVED',
      reason: 'Advances are no longer paid; the BI team removed the column (ticket BI-12).',
      date: '2026-11-20',
    };
    const report = await check({
      subgraphs: withoutAdvancePaidOn(),
      recordedOperations: [op],
      acknowledgements: [ack],
    });
    expect(report.ok).toBe(true);
    expect(change(report.changes, 'TrainingLeave.advancePaidOn')).toMatchObject({
      verdict: 'acknowledged',
      acknowledgement: ack,
    });
    expect(report.invalidOperations.map((o) => o.accepted)).toEqual([true]);

    // An acknowledgement of another change acknowledges nothing, and says so.
    const other = await check({
      subgraphs: withoutAdvancePaidOn(),
      recordedOperations: [op],
      acknowledgements: [{ ...ack, change: 'FIELD_TYPE_CHANGED' }],
    });
    expect(other.ok).toBe(false);
    expect(other.notes.join('\n')).toContain('FIELD_TYPE_CHANGED TrainingLeave.advancePaidOn matches no change');
  });

  it('passes the removal of a field whose deprecation named a removal date that has passed', async () => {
    const deprecated = (date: string) =>
      composeSupergraph(
        editSdl(
          subgraphs,
          COMPETENCES,
          'advancePaidOn: Date\n',
          `advancePaidOn: Date @deprecated(reason: "Advances are no longer paid; removal after ${date}.")\n`,
        ),
      );
    const op = recorded(base, TRAINING_LEAVE_OP, { lastSeen: TODAY });
    const expired = await check({
      baseSupergraph: deprecated('2026-11-15'),
      subgraphs: withoutAdvancePaidOn(),
      recordedOperations: [op],
    });
    expect(change(expired.changes, 'TrainingLeave.advancePaidOn').verdict).toBe('deprecation-expired');
    expect(expired.ok).toBe(true);
    const early = await check({
      baseSupergraph: deprecated('2027-01-15'),
      subgraphs: withoutAdvancePaidOn(),
      recordedOperations: [op],
    });
    expect(change(early.changes, 'TrainingLeave.advancePaidOn').verdict).toBe('fails');
  });

  it('names a repository operation that no longer validates, even when the change is acknowledged', async () => {
    const report = await check({
      subgraphs: withoutAdvancePaidOn(),
      repoOperations: [
        {
          name: 'TrainingLeaveAdvances',
          file: 'schema/operations/TrainingLeaveAdvances.graphql',
          document: TRAINING_LEAVE_OP,
        },
      ],
      acknowledgements: [
        {
          coordinate: 'TrainingLeave.advancePaidOn',
          change: 'FIELD_REMOVED',
          reason: 'no longer paid',
          date: '2026-11-20',
        },
      ],
    });
    expect(report.ok).toBe(false);
    expect(change(report.changes, 'TrainingLeave.advancePaidOn').usedBy).toEqual([
      { source: 'repository', name: 'TrainingLeaveAdvances', file: 'schema/operations/TrainingLeaveAdvances.graphql' },
    ]);
    expect(report.invalidOperations).toEqual([
      {
        operation: {
          source: 'repository',
          name: 'TrainingLeaveAdvances',
          file: 'schema/operations/TrainingLeaveAdvances.graphql',
        },
        errors: ['Cannot query field "advancePaidOn" on type "TrainingLeave".'],
        accepted: false,
      },
    ]);
    expect(formatReport(report)).toContain(
      'x operation TrainingLeaveAdvances (schema/operations/TrainingLeaveAdvances.graphql) no longer validates',
    );
  });

  it('reports a composition error with its code, subgraph, file and line', async () => {
    const edited = editSdl(subgraphs, COMPETENCES, 'advancePaidOn: Date\n', 'advancePaidOn: Strin\n');
    const report = await check({ subgraphs: edited });
    expect(report.ok).toBe(false);
    expect(report.composition.errors).toHaveLength(1);
    const [error] = report.composition.errors;
    expect(error!.code).toBe('INVALID_GRAPHQL');
    expect(error!.message).toContain('Strin');
    expect(error!.locations).toEqual([
      {
        subgraph: 'competences',
        file: COMPETENCES,
        line: lineOf(COMPETENCES, 'advancePaidOn: Date'),
        column: 18,
        origin: 'file',
      },
    ]);
    expect(formatReport(report)).toContain(
      `at [competences] ${COMPETENCES}:${lineOf(COMPETENCES, 'advancePaidOn: Date')}`,
    );
  });
});
