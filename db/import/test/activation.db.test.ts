import { describe, expect, it } from 'vitest';
import { kboFromBase } from '@measure-graph/subgraph-platform/identifiers';
import { dossiers, KBO, ORGS, PERSONS, writeDataset, addTestMeasure, useImportTestDatabase } from './fixtures.ts';

/**
 * appeals.jsonl, combined-procedures.jsonl, iwl-tenders.jsonl and wep-promoters.jsonl
 * (docs/data-format.md) on a real database.
 */

// A second activation measure (the fixtures' catalogue has only the work permits of this domain).
const db = useImportTestDatabase((db) => addTestMeasure(db, 'BEROEPSKAARTEN', 'activation', 98));
const { run, query } = db;

async function counts(): Promise<Record<string, number>> {
  const rows = await query(
    [
      'appeal',
      'combined_procedure',
      'dossier_event',
      'iwl_tender',
      'iwl_lot',
      'iwl_bid',
      'iwl_monitoring',
      'wep_promoter',
      'wep_place',
    ]
      .map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM activation.${t}`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

const permit = (sourceRef: string, events: Array<{ type: string; at: string }>, measureCode = 'ARBEIDSKAARTEN') => ({
  sourceRef,
  measureCode,
  kind: 'APPLICATION',
  channel: 'ONLINE',
  applicantKbo: ORGS[0]!.kboNumber,
  receivedAt: '2020-01-02T09:00',
  events,
});
const COMPLETE = { type: 'FILE_COMPLETED', at: '2020-01-20T09:00' };

/** Activation dossiers: refused and appealed twice (one decided), granted, received only, another measure. */
const activationDossiers = () => [
  permit('AK-A', [
    COMPLETE,
    { type: 'REFUSED', at: '2020-02-01T09:00' },
    { type: 'APPEALED', at: '2020-02-10T09:00' },
    { type: 'APPEAL_DECIDED', at: '2020-04-01T10:00' },
    { type: 'APPEALED', at: '2020-05-01T09:00' },
  ]),
  permit('AK-G', [COMPLETE, { type: 'GRANTED', at: '2020-03-01T08:00' }]),
  permit('AK-G2', [COMPLETE, { type: 'GRANTED', at: '2020-03-05T08:00' }]),
  permit('AK-R', []),
  permit(
    'BK-1',
    [
      { type: 'REFUSED', at: '2020-02-01T09:00' },
      { type: 'APPEALED', at: '2020-02-15T09:00' },
      { type: 'APPEAL_DECIDED', at: '2020-03-15T09:00' },
    ],
    'BEROEPSKAARTEN',
  ),
];

const appeals = () => [
  {
    dossierRef: 'AK-A',
    lodgedOn: '2020-02-10T09:00',
    grounds: 'Betwist de motivering van de weigering',
    outcome: 'REJECTED',
    decidedOn: '2020-04-01T10:00',
  },
  { dossierRef: 'AK-A', lodgedOn: '2020-05-01 09:00:00', grounds: '  Nieuwe stukken  ', outcome: 'PENDING' },
  {
    dossierRef: 'BK-1',
    lodgedOn: '2020-02-15T09:00',
    grounds: 'Beroepsactiviteit aangetoond',
    outcome: 'UPHELD',
    decidedOn: '2020-03-15T09:00:00',
  },
];

const procedures = () => [
  {
    dossierRef: 'AK-G',
    sentOn: '2020-03-01',
    federalReference: 'dvz-2020-0000001',
    federalDecision: 'GRANTED',
    federalDecidedOn: '2020-05-01',
  },
  { dossierRef: 'AK-G2', sentOn: '2020-03-05', federalDecision: 'PENDING' },
];

/** A tender with an awarded lot (the best offer: 0.6 * 80 + 40 * 0.9 = 84 against 0.6 * 70.29 + 40 = 82.17) and an open one. */
const tenders = () => [
  {
    id: 'IWL-T',
    name: 'Intensief Werkplekleren',
    publishedOn: '2021-02-01',
    closesOn: '2021-03-31',
    selectionCriteria: ['Kwaliteitseisen', 'Ervaring'],
    awardCriteria: [
      { criterion: 'Kwaliteit', weight: 60 },
      { criterion: 'Prijs', weight: 40 },
    ],
    approvedBy: 'Raad van Bestuur VDAB',
    lots: [
      {
        id: 'IWL-T-ANT',
        provinceCode: 'ANT',
        awardedKbo: ORGS[0]!.kboNumber,
        awardedOn: '2021-05-03',
        bids: [
          { kbo: KBO[0]!, selected: true, selectionNote: 'voldoet', qualityScore: 80, price: '1000000' },
          // 70.29 * 100 is no whole number in floating point: still two decimals.
          { kbo: KBO[1]!, selected: true, selectionNote: 'voldoet', qualityScore: 70.29, price: '900000' },
          { kbo: KBO[2]!, selected: false, selectionNote: 'onvoldoende ervaring' } as Record<string, unknown>,
        ],
        monitoring: [
          { kind: 'PERIODIC_MEETING', heldOn: '2021-06-01', heldBy: 'provinciale medewerker 1', note: 'overleg' },
          { kind: 'AUDIT', heldOn: '2021-09-01', heldBy: 'centrale projectbeheerder VDAB', note: 'audit' },
        ],
      } as Record<string, any>,
      {
        id: 'IWL-T-LIM',
        provinceCode: 'LIM',
        bids: [{ kbo: KBO[1]!, selected: true, selectionNote: 'voldoet', qualityScore: 60.25, price: '500000.50' }],
      },
    ],
  },
];

/** An internal promoter with places for both modules, an external one with work-experience places (KBO with separators). */
const promoters = () => [
  {
    kbo: KBO[0]!,
    type: 'INTERNAL',
    umbrella: 'SLN',
    places: [
      { module: 'WORK_EXPERIENCE', year: 2019, places: 20 },
      { module: 'INTEGRATION', year: 2019, places: 12 },
      { module: 'WORK_EXPERIENCE', year: 2020, places: 25 },
    ],
  } as Record<string, any>,
  { kbo: ORGS[1]!.kboNumber, type: 'EXTERNAL', places: [{ module: 'WORK_EXPERIENCE', year: 2020, places: 4 }] },
];

const dataset = () =>
  writeDataset({
    'organisations.jsonl': ORGS,
    'persons.jsonl': PERSONS,
    'dossiers.jsonl': [...dossiers(), ...activationDossiers()],
    'appeals.jsonl': appeals(),
    'combined-procedures.jsonl': procedures(),
    'iwl-tenders.jsonl': tenders(),
    'wep-promoters.jsonl': promoters(),
  });

const APPEAL_ROWS = `
  SELECT d.source_ref AS dossier, to_char(a.lodged_at, 'YYYY-MM-DD HH24:MI') AS lodged, a.grounds, a.outcome,
         to_char(a.decided_at, 'YYYY-MM-DD HH24:MI') AS decided, a.measure_code,
         le.type AS lodged_event, de.type AS decided_event
    FROM activation.appeal a JOIN activation.dossier d ON d.id = a.dossier_id
    JOIN activation.dossier_event le ON le.id = a.lodged_event_id
    LEFT JOIN activation.dossier_event de ON de.id = a.decided_event_id
   ORDER BY d.source_ref, a.lodged_at`;

describe('data:import of the activation records', () => {
  it('loads appeals (tied to their dossier events), combined procedures, the IWL tender and the WEP+ promoters', async () => {
    const report = await run(dataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['organisations.jsonl', true, []],
      ['persons.jsonl', true, []],
      ['dossiers.jsonl', true, []],
      ['appeals.jsonl', true, []],
      ['combined-procedures.jsonl', true, []],
      ['iwl-tenders.jsonl', true, []],
      ['wep-promoters.jsonl', true, []],
    ]);
    expect(report.files.slice(3).map((f) => f.counts)).toEqual([
      { inserted: 3, updated: 0, unchanged: 0 },
      { inserted: 2, updated: 0, unchanged: 0 },
      {
        inserted: 1,
        updated: 0,
        unchanged: 0,
        lotsWritten: 2,
        bidsWritten: 4,
        bidsRemoved: 0,
        monitoringWritten: 2,
        monitoringRemoved: 0,
      },
      { inserted: 2, updated: 0, unchanged: 0, placesWritten: 4, placesRemoved: 0 },
    ]);
    expect(
      await query(
        `SELECT p.kbo, p.type, p.umbrella, w.module, w.year, w.places
           FROM activation.wep_promoter p JOIN activation.wep_place w ON w.kbo = p.kbo
          ORDER BY p.type DESC, w.year, w.module`,
      ),
    ).toEqual(
      [
        [KBO[0], 'INTERNAL', 'SLN', 'INTEGRATION', 2019, 12],
        [KBO[0], 'INTERNAL', 'SLN', 'WORK_EXPERIENCE', 2019, 20],
        [KBO[0], 'INTERNAL', 'SLN', 'WORK_EXPERIENCE', 2020, 25],
        [KBO[1], 'EXTERNAL', null, 'WORK_EXPERIENCE', 2020, 4],
      ].map(([kbo, type, umbrella, module, year, places]) => ({ kbo, type, umbrella, module, year, places })),
    );
    expect(
      await query(
        `SELECT l.id, l.awarded_kbo, b.kbo, b.selected, b.quality_score::text AS quality, b.price_cents::text AS cents
           FROM activation.iwl_lot l JOIN activation.iwl_bid b ON b.lot_id = l.id ORDER BY l.id, b.kbo`,
      ),
    ).toEqual([
      { id: 'IWL-T-ANT', awarded_kbo: KBO[0], kbo: KBO[0], selected: true, quality: '80.00', cents: '100000000' },
      { id: 'IWL-T-ANT', awarded_kbo: KBO[0], kbo: KBO[1], selected: true, quality: '70.29', cents: '90000000' },
      { id: 'IWL-T-ANT', awarded_kbo: KBO[0], kbo: KBO[2], selected: false, quality: null, cents: null },
      { id: 'IWL-T-LIM', awarded_kbo: null, kbo: KBO[1], selected: true, quality: '60.25', cents: '50000050' },
    ]);
    expect(await query(`SELECT selection_criteria, award_criteria FROM activation.iwl_tender`)).toEqual([
      { selection_criteria: ['Kwaliteitseisen', 'Ervaring'], award_criteria: tenders()[0]!.awardCriteria },
    ]);
    expect(await query(APPEAL_ROWS)).toEqual([
      {
        dossier: 'AK-A',
        lodged: '2020-02-10 09:00',
        grounds: 'Betwist de motivering van de weigering',
        outcome: 'REJECTED',
        decided: '2020-04-01 10:00',
        measure_code: 'ARBEIDSKAARTEN',
        lodged_event: 'APPEALED',
        decided_event: 'APPEAL_DECIDED',
      },
      {
        dossier: 'AK-A',
        lodged: '2020-05-01 09:00',
        grounds: 'Nieuwe stukken',
        outcome: 'PENDING',
        decided: null,
        measure_code: 'ARBEIDSKAARTEN',
        lodged_event: 'APPEALED',
        decided_event: null,
      },
      {
        dossier: 'BK-1',
        lodged: '2020-02-15 09:00',
        grounds: 'Beroepsactiviteit aangetoond',
        outcome: 'UPHELD',
        decided: '2020-03-15 09:00',
        measure_code: 'BEROEPSKAARTEN',
        lodged_event: 'APPEALED',
        decided_event: 'APPEAL_DECIDED',
      },
    ]);
    expect(
      await query(
        `SELECT d.source_ref AS dossier, c.sent_on::text AS sent, c.federal_reference AS reference,
                c.federal_decision AS decision, c.federal_decided_on::text AS decided
           FROM activation.combined_procedure c JOIN activation.dossier d ON d.id = c.dossier_id ORDER BY 1`,
      ),
    ).toEqual([
      {
        dossier: 'AK-G',
        sent: '2020-03-01',
        reference: 'DVZ-2020-0000001',
        decision: 'GRANTED',
        decided: '2020-05-01',
      },
      { dossier: 'AK-G2', sent: '2020-03-05', reference: null, decision: 'PENDING', decided: null },
    ]);
  });

  it('importing the same files again leaves the same rows (and ids)', async () => {
    const before = await counts();
    const ids = await query(
      `SELECT id, lodged_event_id, decided_event_id FROM activation.appeal UNION ALL
       SELECT id, NULL, NULL FROM activation.iwl_monitoring ORDER BY 1`,
    );
    const report = await run(dataset());
    expect(report.ok).toBe(true);
    expect(report.files.slice(3).map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 0, unchanged: 3 },
      { inserted: 0, updated: 0, unchanged: 2 },
      {
        inserted: 0,
        updated: 0,
        unchanged: 1,
        lotsWritten: 0,
        bidsWritten: 0,
        bidsRemoved: 0,
        monitoringWritten: 0,
        monitoringRemoved: 0,
      },
      { inserted: 0, updated: 0, unchanged: 2, placesWritten: 0, placesRemoved: 0 },
    ]);
    expect(await counts()).toEqual(before);
    expect(
      await query(
        `SELECT id, lodged_event_id, decided_event_id FROM activation.appeal UNION ALL
         SELECT id, NULL, NULL FROM activation.iwl_monitoring ORDER BY 1`,
      ),
    ).toEqual(ids);
  });

  it('a changed row updates its record by natural key', async () => {
    const before = await counts();
    const a = appeals();
    a[2]!.outcome = 'INADMISSIBLE';
    a[2]!.grounds = 'Beroep te laat ingesteld';
    const p = procedures();
    Object.assign(p[1]!, {
      federalReference: 'DVZ-2020-0000002',
      federalDecision: 'REFUSED',
      federalDecidedOn: '2020-06-01',
    });
    const t = tenders();
    t[0]!.name = 'Intensief Werkplekleren 2021';
    // A bid withdrawn (not the awarded one), a monitoring note corrected.
    t[0]!.lots[0]!.bids.splice(2, 1);
    t[0]!.lots[0]!.monitoring[1].note = 'audit van de opdracht';
    // The internal promoter's integration places of 2019 dropped and its 2020 places raised; the external one joins an umbrella.
    const w = promoters();
    w[0]!.places = [
      { module: 'WORK_EXPERIENCE', year: 2019, places: 20 },
      { module: 'WORK_EXPERIENCE', year: 2020, places: 30 },
    ];
    w[1]!.umbrella = 'Groep INTRO';
    const report = await run(
      writeDataset({
        'appeals.jsonl': a,
        'combined-procedures.jsonl': p,
        'iwl-tenders.jsonl': t,
        'wep-promoters.jsonl': w,
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 1, unchanged: 2 },
      { inserted: 0, updated: 1, unchanged: 1 },
      {
        inserted: 0,
        updated: 1,
        unchanged: 0,
        lotsWritten: 0,
        bidsWritten: 0,
        bidsRemoved: 1,
        monitoringWritten: 1,
        monitoringRemoved: 1,
      },
      { inserted: 0, updated: 1, unchanged: 1, placesWritten: 1, placesRemoved: 1 },
    ]);
    expect(await counts()).toEqual({ ...before, iwl_bid: before.iwl_bid! - 1, wep_place: before.wep_place! - 1 });
    expect(
      await query(
        `SELECT p.umbrella, w.module, w.year, w.places FROM activation.wep_promoter p
           JOIN activation.wep_place w ON w.kbo = p.kbo ORDER BY p.type DESC, w.year`,
      ),
    ).toEqual([
      { umbrella: 'SLN', module: 'WORK_EXPERIENCE', year: 2019, places: 20 },
      { umbrella: 'SLN', module: 'WORK_EXPERIENCE', year: 2020, places: 30 },
      { umbrella: 'Groep INTRO', module: 'WORK_EXPERIENCE', year: 2020, places: 4 },
    ]);
    expect(await query(`SELECT name FROM activation.iwl_tender`)).toEqual([{ name: 'Intensief Werkplekleren 2021' }]);
    expect(await query(`SELECT grounds, outcome FROM activation.appeal WHERE measure_code = 'BEROEPSKAARTEN'`)).toEqual(
      [{ grounds: 'Beroep te laat ingesteld', outcome: 'INADMISSIBLE' }],
    );
    expect(
      await query(
        `SELECT c.federal_reference AS reference, c.federal_decision AS decision, c.federal_decided_on::text AS decided
           FROM activation.combined_procedure c JOIN activation.dossier d ON d.id = c.dossier_id
          WHERE d.source_ref = 'AK-G2'`,
      ),
    ).toEqual([{ reference: 'DVZ-2020-0000002', decision: 'REFUSED', decided: '2020-06-01' }]);
  });

  it('refuses files with bad rows: precise errors, nothing of them written', async () => {
    await run(dataset());
    const before = await counts();
    const rows = await query(
      `SELECT a::text AS r FROM activation.appeal a UNION ALL SELECT c::text FROM activation.combined_procedure c ORDER BY 1`,
    );
    const a = [
      // Line 1: an unknown dossier; line 2: one of another domain; line 3: a dossier not decided.
      { ...appeals()[1]!, dossierRef: 'AK-NOPE' },
      { ...appeals()[1]!, dossierRef: 'OC-2' },
      { ...appeals()[1]!, dossierRef: 'AK-R' },
      // Line 4: a day that does not exist; line 5: grounds too short, decided before it was lodged.
      { ...appeals()[1]!, lodgedOn: '2020-02-30T09:00' },
      { ...appeals()[0]!, grounds: ' x ', decidedOn: '2020-02-01T10:00' },
      // Line 6: fine, line 7: the same appeal again; line 8: no APPEALED event at that time.
      appeals()[2]!,
      { ...appeals()[2]!, lodgedOn: '2020-02-15 09:00:00' },
      { ...appeals()[2]!, lodgedOn: '2020-02-16T09:00', outcome: 'PENDING', decidedOn: undefined },
      // Line 9: decided without a decision time.
      { ...appeals()[1]!, outcome: 'REJECTED' },
    ];
    const p = [
      // Line 1: an unknown dossier; line 2: no single permit; line 3: a refused permit.
      { ...procedures()[1]!, dossierRef: 'AK-NOPE' },
      { ...procedures()[1]!, dossierRef: 'BK-1' },
      { ...procedures()[1]!, dossierRef: 'AK-A' },
      // Line 4: sent before Flanders granted it; line 5: decided before it was sent, without reference.
      { ...procedures()[0]!, sentOn: '2020-02-28' },
      { ...procedures()[1]!, federalDecision: 'REFUSED', federalDecidedOn: '2020-03-01' },
      // Line 6: the same dossier as line 4, a malformed reference; line 7: not a calendar day.
      { ...procedures()[0]!, federalReference: 'x!' },
      { ...procedures()[1]!, sentOn: '2020-13-01' },
    ];
    const lot = (id: string, changes: Record<string, unknown> = {}) => ({ ...tenders()[0]!.lots[0]!, id, ...changes });
    const tender = (id: string, lots: object[], changes: Record<string, unknown> = {}) => ({
      ...tenders()[0]!,
      id,
      lots,
      ...changes,
    });
    const unknown = kboFromBase(7_777_777);
    const t = [
      // Line 1: awarded to a bidder without the best offer.
      tender('IWL-T', [lot('IWL-T-ANT', { awardedKbo: KBO[1] })]),
      // Line 2: the same lot as line 1, closing before it was published, weights summing to 90.
      tender('IWL-U', [lot('IWL-T-ANT')], {
        closesOn: '2021-01-15',
        awardCriteria: [{ criterion: 'Kwaliteit', weight: 90 }],
      }),
      // Line 3: awarded before the tender closed.
      tender('IWL-V', [lot('IWL-V-ANT', { awardedOn: '2021-03-15' })]),
      // Line 4: a bid not selected with a score, a selected one without price, monitoring of an open lot.
      tender('IWL-W', [
        lot('IWL-W-ANT', {
          awardedKbo: undefined,
          awardedOn: undefined,
          bids: [
            { kbo: KBO[0], selected: false, selectionNote: 'nee', qualityScore: 50 },
            { kbo: KBO[1], selected: true, selectionNote: 'ja', qualityScore: 50 },
          ],
        }),
      ]),
      // Line 5: a bidder the registry does not know; line 6: a lot of another tender.
      tender('IWL-X', [
        { id: 'IWL-X-ANT', provinceCode: 'ANT', bids: [{ kbo: unknown, selected: false, selectionNote: 'nee' }] },
      ]),
      tender('IWL-Y', [{ id: 'IWL-T-LIM', provinceCode: 'LIM', bids: [] }]),
    ];
    const w = [
      // Line 1: an external promoter with integration places.
      { kbo: KBO[1], type: 'EXTERNAL', places: [{ module: 'INTEGRATION', year: 2020, places: 3 }] },
      // Line 2: the same promoter as line 1, a year to come, a module and year twice.
      {
        kbo: KBO[1],
        type: 'INTERNAL',
        places: [
          { module: 'WORK_EXPERIENCE', year: 2099, places: 3 },
          { module: 'INTEGRATION', year: 2020, places: 3 },
          { module: 'INTEGRATION', year: 2020, places: 5 },
        ],
      },
      // Line 3: an organisation the registry does not know; line 4: a KBO number with a wrong check.
      { kbo: unknown, type: 'EXTERNAL', places: [] },
      { kbo: '0123456789', type: 'EXTERNAL', places: [] },
    ];
    const report = await run(
      writeDataset({
        'appeals.jsonl': a,
        'combined-procedures.jsonl': p,
        'iwl-tenders.jsonl': t,
        'wep-promoters.jsonl': w,
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.file, f.loaded])).toEqual([
      ['appeals.jsonl', false],
      ['combined-procedures.jsonl', false],
      ['iwl-tenders.jsonl', false],
      ['wep-promoters.jsonl', false],
    ]);
    const messages = report.files.flatMap((f) => f.errors.map((e) => `${e.file}:${e.line}: ${e.field}: ${e.reason}`));
    expect(messages).toEqual([
      'appeals.jsonl:1: dossierRef: Dossier of the activation domain with dossierRef "AK-NOPE" does not exist',
      'appeals.jsonl:2: dossierRef: Dossier of the activation domain with dossierRef "OC-2" does not exist',
      'appeals.jsonl:3: dossierRef: Only a decided dossier (granted or refused) can be appealed; this one is RECEIVED',
      'appeals.jsonl:4: lodgedOn: is not a real date-time: "2020-02-30T09:00"',
      'appeals.jsonl:5: grounds: must be 3 to 2000 characters',
      'appeals.jsonl:5: decidedOn: must not be before the appeal was lodged (2020-02-10 09:00:00)',
      'appeals.jsonl:7: lodgedOn: the same appeal as line 6',
      "appeals.jsonl:8: lodgedOn: the dossier has no APPEALED event at 2020-02-16T09:00:00 (dossiers.jsonl gives an appeal's events)",
      'appeals.jsonl:9: decidedOn: is required when outcome is REJECTED',
      'combined-procedures.jsonl:1: dossierRef: Dossier of the activation domain with dossierRef "AK-NOPE" does not exist',
      'combined-procedures.jsonl:2: dossierRef: Only single permits (ARBEIDSKAARTEN APPLICATION or EXTENSION) go to the federal level; this dossier is BEROEPSKAARTEN APPLICATION',
      'combined-procedures.jsonl:3: dossierRef: The federal level decides only after Flanders granted the permit; this dossier is REFUSED',
      'combined-procedures.jsonl:4: sentOn: must not be before the Flemish decision (2020-03-01)',
      'combined-procedures.jsonl:5: federalReference: is required: the federal level decided on the procedure',
      'combined-procedures.jsonl:5: federalDecidedOn: must not be before the sending (2020-03-05)',
      'combined-procedures.jsonl:6: dossierRef: the same combined procedure as line 4',
      'combined-procedures.jsonl:6: federalReference: must be 4 to 40 letters, digits, "-" or "/", starting with a letter or digit',
      'combined-procedures.jsonl:7: sentOn: must be a real calendar date YYYY-MM-DD',
      'iwl-tenders.jsonl:1: lots[0].awardedKbo: The lot goes to the best offer on quality and price, which is another partner',
      'iwl-tenders.jsonl:2: closesOn: must be after publishedOn',
      'iwl-tenders.jsonl:2: awardCriteria: the weights must sum to 100, not 90',
      'iwl-tenders.jsonl:2: lots[0].id: the same lot as line 1 lots[0]',
      'iwl-tenders.jsonl:3: lots[0].awardedOn: must be after the tender closed (2021-03-31)',
      'iwl-tenders.jsonl:4: lots[0].bids[0].qualityScore: is given only for a selected bid',
      'iwl-tenders.jsonl:4: lots[0].bids[1].price: is required for a selected bid',
      'iwl-tenders.jsonl:4: lots[0].monitoring[0]: a lot is monitored once it is awarded (awardedKbo)',
      'iwl-tenders.jsonl:4: lots[0].monitoring[1]: a lot is monitored once it is awarded (awardedKbo)',
      `iwl-tenders.jsonl:5: lots[0].bids[0].kbo: Organisation with lots[0].bids[0].kbo "${unknown}" does not exist`,
      'iwl-tenders.jsonl:6: lots[0].id: is a lot of tender IWL-T',
      'wep-promoters.jsonl:1: places[0].module: an external promoter has no places for INTEGRATION',
      'wep-promoters.jsonl:2: kbo: the same promoter as line 1',
      `wep-promoters.jsonl:2: places[0].year: must not be after the current year (${new Date().getFullYear()})`,
      'wep-promoters.jsonl:2: places[2]: the same module and year as places[1]',
      `wep-promoters.jsonl:3: kbo: Organisation with kbo "${unknown}" does not exist`,
      'wep-promoters.jsonl:4: kbo: "0123456789" is not a valid KBO number (10 digits with a mod-97 check)',
    ]);
    expect(await counts()).toEqual(before);
    expect(
      await query(
        `SELECT a::text AS r FROM activation.appeal a UNION ALL SELECT c::text FROM activation.combined_procedure c ORDER BY 1`,
      ),
    ).toEqual(rows);
  });
});
