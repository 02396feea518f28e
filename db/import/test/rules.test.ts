import fs from 'node:fs';
import { EVENT_COPIED_COLUMNS } from '@measure-graph/measure-module';
import { PAYMENT_KINDS } from '@measure-graph/measure-module/dossier-commands';
import { EVENT_OF_ACTION, FOLLOW_UP_EVENTS } from '@measure-graph/measure-module/lifecycle';
import { describe, expect, it } from 'vitest';
import { checkDossier, EVENT_COPIES, IMPORTED_EVENT_TYPES, type DossierRow } from '../src/aggregates/dossiers.ts';
import { DATASET_FILES } from '../src/dataset.ts';
import { ErrorCollector } from '../src/report.ts';
import { fieldPath, isRealDate, schemaErrors, schemaValidator, SCHEMA_DIR } from '../src/rows.ts';
import { copyText } from '../src/staging.ts';
import { KBO } from './fixtures.ts';

const NOW = '2024-06-01 12:00:00';
const schema = (name: string) => JSON.parse(fs.readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8'));

function checked(row: Partial<DossierRow>) {
  const errors = new ErrorCollector('dossiers.jsonl');
  const base: DossierRow = {
    sourceRef: 'R-1',
    measureCode: 'LDE',
    kind: 'APPLICATION',
    channel: 'ONLINE',
    applicantKbo: KBO[0]!,
    receivedAt: '2021-03-01T09:00',
  };
  const result = checkDossier({ ...base, ...row }, 7, errors, NOW);
  return { result, errors: errors.list().map((e) => `${e.field}: ${e.reason}`) };
}

describe('the dataset format follows the kit', () => {
  it("has a JSON Schema per file, and their enums are the mutations' values", () => {
    for (const file of DATASET_FILES) expect(() => schemaValidator(file.replace('.jsonl', ''))).not.toThrow();
    const dossier = schema('dossiers');
    expect(dossier.properties.payments.items.properties.kind.enum).toEqual(PAYMENT_KINDS);
    const lifecycle = Object.entries(EVENT_OF_ACTION)
      .filter(([a]) => a !== 'PAY')
      .map(([, type]) => type);
    const followUps = Object.keys(FOLLOW_UP_EVENTS);
    expect(dossier.properties.events.items.properties.type.enum.sort()).toEqual(
      [...lifecycle, 'FILE_COMPLETED', ...followUps].sort(),
    );
    expect([...IMPORTED_EVENT_TYPES].sort()).toEqual([...lifecycle, 'FILE_COMPLETED', 'RECEIVED', ...followUps].sort());
  });

  it('writes on every event the columns the mutations copy from its dossier', () => {
    expect(Object.keys(EVENT_COPIES)).toEqual(EVENT_COPIED_COLUMNS.split(', '));
  });
});

describe("dossier rows follow the mutations' rules", () => {
  it('replays a complete lifecycle with payments', () => {
    const { result, errors } = checked({
      events: [
        { type: 'ADMISSIBLE', at: '2021-03-02' },
        { type: 'FILE_COMPLETED', at: '2021-03-03T10:00' },
        { type: 'GRANTED', at: '2021-03-04T10:00:30' },
      ],
      payments: [
        {
          kind: 'ADVANCE',
          period: '2021-04-01',
          requestedAt: '2021-03-04T10:00:30',
          paidAt: '2021-04-02',
          amount: '0.5',
        },
      ],
    });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({
      status: 'GRANTED',
      decided: true,
      completedAt: '2021-03-03 10:00:00',
      applicantKbo: KBO[0],
      events: [
        { type: 'RECEIVED', at: '2021-03-01 09:00:00', completedAt: null },
        { type: 'ADMISSIBLE', at: '2021-03-02 00:00:00', completedAt: null },
        { type: 'FILE_COMPLETED', at: '2021-03-03 10:00:00', completedAt: '2021-03-03 10:00:00' },
        { type: 'GRANTED', at: '2021-03-04 10:00:30', completedAt: '2021-03-03 10:00:00' },
      ],
      payments: [{ kind: 'ADVANCE', instalment: 1, cents: '50', fromBudget: true }],
    });
  });

  it('refuses what the mutations refuse, naming each field', () => {
    expect(checked({ receivedAt: '2021-02-29T10:00' }).errors).toEqual([
      'receivedAt: is not a real date-time: "2021-02-29T10:00"',
    ]);
    expect(checked({ receivedAt: '1999-12-31' }).errors).toEqual(['receivedAt: must not be before 2000']);
    expect(checked({ receivedAt: '2025-01-01' }).errors).toEqual([
      'receivedAt: must not be in the future (it is 2024-06-01 12:00:00 in Belgium)',
    ]);
    expect(
      checked({
        events: [
          { type: 'ADMISSIBLE', at: '2021-02-28' },
          { type: 'REFUSED', at: '2021-03-05' },
        ],
      }).errors,
    ).toEqual(["events[0].at: must not be before the dossier's last event (2021-03-01 09:00:00)"]);
    expect(
      checked({
        events: [
          { type: 'INADMISSIBLE', at: '2021-03-02' },
          { type: 'FILE_COMPLETED', at: '2021-03-03' },
          { type: 'GRANTED', at: '2021-03-04' },
        ],
      }).errors,
    ).toEqual(['events[1].type: A dossier that is INADMISSIBLE is closed to completion']);
    expect(
      checked({
        events: [
          { type: 'FILE_COMPLETED', at: '2021-03-02' },
          { type: 'FILE_COMPLETED', at: '2021-03-03' },
        ],
      }).errors,
    ).toEqual(['events[1].type: The file was already complete on 2021-03-02 00:00:00']);
    expect(
      checked({
        events: [
          { type: 'ADMISSIBLE', at: '2021-03-02' },
          { type: 'REFUSED', at: '2021-03-03' },
        ],
        payments: [
          { kind: 'PAYMENT', period: '2021-03-15', requestedAt: '2021-03-04', paidAt: '2021-03-03', amount: '1.005' },
        ],
      }).errors,
    ).toEqual([
      'payments: A dossier that is REFUSED cannot pay; it is closed',
      'payments[0].period: must be the first day of a month, YYYY-MM-01, got "2021-03-15"',
      'payments[0].paidAt: must not be before requestedAt',
      'payments[0].amount: must be a positive amount in euros with at most two decimals, e.g. "1250.00", got "1.005"',
    ]);
    const payment = {
      kind: 'BALANCE',
      period: '2021-04-01',
      requestedAt: '2021-03-04',
      paidAt: '2021-03-05',
      amount: '10',
    };
    expect(
      checked({
        events: [
          { type: 'ADMISSIBLE', at: '2021-03-02' },
          { type: 'GRANTED', at: '2021-03-03' },
        ],
        payments: [payment, { ...payment, amount: '10.00' }],
      }).errors,
    ).toEqual(['payments[1]: is the same payment as payments[0]']);
    expect(checked({ applicantKbo: '0403.170.702' }).errors).toEqual([
      'applicantKbo: "0403.170.702" is not a valid KBO number (10 digits with a mod-97 check)',
    ]);
  });
});

describe('schema errors', () => {
  const validate = schemaValidator('dossiers');
  const errorsOf = (row: object) => {
    expect(validate(row)).toBe(false);
    return schemaErrors(validate.errors!, {
      '': { field: 'applicantKbo', reason: 'Give exactly one applicant: applicantKbo or applicantPersonId' },
    });
  };
  const row = {
    sourceRef: 'R-1',
    measureCode: 'LDE',
    kind: 'APPLICATION',
    channel: 'ONLINE',
    receivedAt: '2021-03-01',
  };

  it('says once that exactly one applicant is needed', () => {
    const one = [{ field: 'applicantKbo', reason: 'Give exactly one applicant: applicantKbo or applicantPersonId' }];
    expect(errorsOf(row)).toEqual(one);
    expect(errorsOf({ ...row, applicantKbo: KBO[0], applicantPersonId: 'prs_1' })).toEqual(one);
  });

  it('names nested fields and describes patterns without repeating the value', () => {
    const errors = errorsOf({
      ...row,
      applicantPersonId: 'prs_1',
      payments: [{ kind: 'ADVANCE', period: '2021-04-01', requestedAt: 'yesterday', paidAt: '2021-04-02', amount: 12 }],
    });
    expect(errors.map((e) => e.field)).toEqual(['payments[0].requestedAt', 'payments[0].amount']);
    expect(errors[0]!.reason).toMatch(/^must match .*\(Belgian local date-time without offset/);
    expect(errors[1]!.reason).toBe('must be string');
    expect(JSON.stringify(errors)).not.toContain('yesterday');
  });

  it('maps JSON pointers to field paths', () => {
    expect(fieldPath('')).toBe('(row)');
    expect(fieldPath('/events/1/at')).toBe('events[1].at');
    expect(fieldPath('/payments/0', 'amount')).toBe('payments[0].amount');
  });

  it('knows real dates', () => {
    expect(isRealDate('2020-02-29')).toBe(true);
    expect(isRealDate('2021-02-29')).toBe(false);
    expect(isRealDate('2021-2-1')).toBe(false);
  });
});

describe('reporting and staging', () => {
  it('keeps the first errors by line and counts them all', () => {
    const errors = new ErrorCollector('f.jsonl', 3);
    for (const line of [5, 1, 9, 2]) errors.add(line, 'a', 'x');
    errors.addChecked([{ line: 3, field: 'b', reason: 'y' }], 40);
    expect(errors.list().map((e) => e.line)).toEqual([1, 2, 3]);
    expect(errors.count).toBe(44);
  });

  it('escapes values for COPY text', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyText(12)).toBe('12');
    expect(copyText(false)).toBe('false');
  });
});
