/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A calendar day, YYYY-MM-DD (ISO 8601), e.g. 2020-03-05. Inputs must be a real day: 2024-02-30 and
   * 2023-02-29 are refused (BAD_USER_INPUT).
   */
  Date: { input: string; output: string; }
  /**
   * An instant, ISO 8601 with an offset, e.g. 2020-03-05T10:00:00+01:00. The department's times are
   * Belgian local times: they are output with the Europe/Brussels offset of that instant (+01:00 in
   * winter, +02:00 in summer). Inputs must carry an offset or Z; a time without one is refused
   * (BAD_USER_INPUT), since it would not say which instant it is.
   */
  DateTime: { input: string; output: string; }
  /**
   * An exact decimal number as a string, e.g. "1234.56" (euros, FTE). Inputs: a string of digits with
   * an optional sign and fraction, or a JSON integer; a JSON number with a fraction is refused
   * (BAD_USER_INPUT) because a float may already have lost digits.
   */
  Decimal: { input: string; output: string; }
  /**
   * A share or ratio as a JSON number rounded to 4 decimal places, e.g. 0.9234 (92.34 % when a fraction,
   * 1.0 = 100 %). Exact digits do not matter for a share; the rounding keeps float noise such as
   * 3.9999999999999925 off the wire.
   */
  Share: { input: number; output: number; }
};

/** What a volume row counts. */
export type VolumeMetric =
  /** Dossiers received in the year (Aantal ontvangen dossiers), of the listed kinds. */
  | 'DOSSIERS_RECEIVED'
  /** Share of them received online (% online). */
  | 'ONLINE_SHARE'
  /** Dossiers declared admissible or inadmissible in the year (Aantal (on)ontvankelijke dossiers). */
  | 'ADMISSIBILITY_DECISIONS'
  /**
   * Applications (first, extension, increase) decided in the year (Aantal afgehandelde dossiers); a
   * measure's special kinds, such as contingent requests, are not counted here.
   */
  | 'DOSSIERS_HANDLED'
  /** Share of the decisions of the year that granted (Aandeel goedgekeurde dossiers). */
  | 'GRANTED_SHARE'
  /** Events of the listed types in the year: recognitions withdrawn, appeals, fines imposed ... */
  | 'EVENTS'
  /** Payments made in the year (Aantal betalingen / betaalde dossiers / voorschotten / saldi), of the listed kinds. */
  | 'PAYMENTS'
  /**
   * A figure the department registers from another system (vouchers issued by the issuer, persons
   * employed from social security declarations, ...), per month or per year.
   */
  | 'REGISTERED';

/** The unit of a volume's value. */
export type VolumeUnit =
  /** A number of dossiers, events, payments or persons. */
  | 'COUNT'
  /** A fraction from 0 to 1 (1.0 = 100%). */
  | 'SHARE';

/** Where a dossier is in its lifecycle. */
export type DossierStatus =
  /** Received (ontvangen); admissibility not yet declared. */
  | 'RECEIVED'
  /** Declared admissible (ontvankelijk); not yet decided. */
  | 'ADMISSIBLE'
  /** Declared inadmissible (onontvankelijk): no decision follows. */
  | 'INADMISSIBLE'
  /** Granted (goedgekeurd, toegekend); payments may follow. */
  | 'GRANTED'
  /** Refused (geweigerd). */
  | 'REFUSED'
  /** Stopped after it started (geannuleerd / stopgezet). */
  | 'CANCELLED'
  /** Closed without a decision (zonder gevolg, otherwise settled). */
  | 'CLOSED';

/** Filters of a measure's dossiers; all given filters must hold. */
export type DossierFilter = {
  /** Received in this calendar year. */
  year?: InputMaybe<Scalars['Int']['input']>;
  /** In this status now. */
  status?: InputMaybe<DossierStatus>;
  /** Received through this channel. */
  channel?: InputMaybe<Channel>;
  /** Of this kind (aanvraagtype, see Measure.dossierKinds). */
  kind?: InputMaybe<Scalars['String']['input']>;
  /** Applied for by this organisation (KBO number). */
  applicantKbo?: InputMaybe<Scalars['ID']['input']>;
  /** Applied for by this person (registry id). */
  applicantPersonId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * Incremental refresh: only the dossiers written (themselves, an event or a payment) after this
   * watermark: the connection's `watermark` of the previous pull, or "" for every dossier. The page
   * is then in change order, `after` is not allowed (pass the new watermark instead) and a pull
   * against an unchanged database returns no dossier and the same watermark. See docs/bi.md,
   * "Incremental refresh".
   */
  changedAfter?: InputMaybe<Scalars['String']['input']>;
};

/** Stage of a dossier's lifecycle that a norm measures. */
export type NormStage =
  /** Declared admissible or inadmissible (ontvankelijkheid). */
  | 'ADMISSIBILITY'
  /** Decided: granted or refused (beslissing). */
  | 'DECISION'
  /** Paid (betaling). */
  | 'PAYMENT'
  /** Advice given (advies). */
  | 'ADVICE'
  /** Any other stage (e.g. a call kept open). */
  | 'OTHER';

/** Whether a norm is set by law or by the department itself. */
export type NormKind =
  /** Set by a legal provision (wettelijke termijn). */
  | 'LEGAL'
  /** Internal target (interne streefnorm). */
  | 'INTERNAL'
  /** The report says 'streefnorm' without saying which. */
  | 'UNSPECIFIED';

/** Channel a dossier came in through. */
export type Channel =
  /** Received online. */
  | 'ONLINE'
  /** Received on paper (papier). */
  | 'PAPER';

/** Submit a dossier (indienen). Retrying with the same idempotencyKey returns the same dossier. */
export type SubmitDossierInput = {
  /** Code of the measure applied for, e.g. VOP; the measure must belong to this domain. */
  measureCode: Scalars['ID']['input'];
  /** One of the measure's dossier kinds (see Measure.dossierKinds). */
  kind: Scalars['String']['input'];
  /** How it came in: online or on paper. */
  channel: Channel;
  /** KBO number of the applying organisation; exactly one of applicantKbo, applicantPersonId and applicantInsz. */
  applicantKbo?: InputMaybe<Scalars['ID']['input']>;
  /** Registry id of the applying person. */
  applicantPersonId?: InputMaybe<Scalars['ID']['input']>;
  /** National number (INSZ) of the applying person, checked (mod 97) and resolved to the registry's person. */
  applicantInsz?: InputMaybe<Scalars['ID']['input']>;
  /** When it was received, with an offset (2020-03-05T10:00:00+01:00); not in the future. */
  receivedAt: Scalars['DateTime']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** Declare a dossier admissible or inadmissible (ontvankelijkheid). */
export type DeclareAdmissibilityInput = {
  /** The dossier, still RECEIVED. */
  dossierId: Scalars['ID']['input'];
  /** true: admissible (ontvankelijk); false: inadmissible (onontvankelijk). */
  admissible: Scalars['Boolean']['input'];
  /** When, with an offset; not before the dossier's last event and not in the future. */
  at: Scalars['DateTime']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** The file of a dossier is complete (volledig dossier). */
export type CompleteFileInput = {
  /** The dossier, RECEIVED or ADMISSIBLE, its file not yet recorded complete. */
  dossierId: Scalars['ID']['input'];
  /** When, with an offset; not before the dossier's last event and not in the future. */
  at: Scalars['DateTime']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** Grant or refuse an admissible dossier (beslissing); a work permit or professional card needs a complete file first. */
export type DecideDossierInput = {
  /** The dossier, admissible or still RECEIVED (then the decision declares it admissible too). */
  dossierId: Scalars['ID']['input'];
  /** true: granted (goedgekeurd); false: refused (geweigerd). */
  granted: Scalars['Boolean']['input'];
  /** When, with an offset; not before the dossier's last event and not in the future. */
  at: Scalars['DateTime']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** Register a payment on a granted dossier. */
export type RegisterPaymentInput = {
  /** The dossier, GRANTED. */
  dossierId: Scalars['ID']['input'];
  /** ADVANCE, BALANCE, FIRST_INSTALMENT, SECOND_INSTALMENT or PAYMENT. */
  kind: Scalars['String']['input'];
  /** Number of the instalment (schijf) of its kind, 1 to 99. */
  instalment?: InputMaybe<Scalars['Int']['input']>;
  /** First day of the month the payment concerns, YYYY-MM-01. */
  period: Scalars['Date']['input'];
  /** When the payment was requested, with an offset; not before the dossier was granted. */
  requestedAt: Scalars['DateTime']['input'];
  /** When it was paid, with an offset; not before requestedAt. */
  paidAt: Scalars['DateTime']['input'];
  /** Exact amount in euros, a positive decimal with at most two decimals, e.g. "1250.00". */
  amount: Scalars['Decimal']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** Award a lot of an IWL tender to one of its bidders. */
export type AwardIwlLotInput = {
  /** The lot, e.g. IWL-2021-ANT. */
  lotId: Scalars['ID']['input'];
  /** KBO number (10 digits) of a selected bidder of the lot with the best score; NOT_FOUND when the registry does not hold it. */
  kbo: Scalars['ID']['input'];
  /** YYYY-MM-DD, after the tender closed and not in the future. */
  awardedOn: Scalars['Date']['input'];
};

/** How an appeal ends, as Dutch decisions on appeal word it. */
export type AppealOutcome =
  /** Hangend: not decided yet. */
  | 'PENDING'
  /** Gegrond: the appeal succeeds and the contested decision is reformed. */
  | 'UPHELD'
  /** Ongegrond: the appeal fails and the contested decision stands. */
  | 'REJECTED'
  /** Onontvankelijk: the appeal is not examined, e.g. because it was lodged late. */
  | 'INADMISSIBLE'
  /** Ingetrokken: the appellant gave the appeal up. */
  | 'WITHDRAWN';

/** Lodge an appeal against the decision on an activation dossier. */
export type LodgeAppealInput = {
  /** An ACT- dossier that was granted or refused, without a pending appeal. */
  dossierId: Scalars['ID']['input'];
  /** When, with an offset (e.g. 2020-03-05T10:00:00+01:00), not before the dossier's last event nor in the future. */
  lodgedOn: Scalars['DateTime']['input'];
  /** 3 to 2000 characters. */
  grounds: Scalars['String']['input'];
  /** Chosen by the client: a retry with the same key and input returns the first appeal; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** Decide a pending appeal. */
export type DecideAppealInput = {
  /** The appeal, ACT-APPEAL-<number>. */
  appealId: Scalars['ID']['input'];
  /** Any outcome but PENDING. */
  outcome: AppealOutcome;
  /** When, with an offset (e.g. 2020-03-05T10:00:00+01:00), not before the appeal was lodged nor in the future. */
  decidedOn: Scalars['DateTime']['input'];
  /** Chosen by the client: a retry with the same key and input returns the first result; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** The Immigration Office's (Dienst Vreemdelingenzaken) decision on the residence part of a single permit. */
export type FederalDecision =
  /** Sent to the Immigration Office, not decided yet. */
  | 'PENDING'
  /** Residence granted: the single permit is granted as a whole. */
  | 'GRANTED'
  /** Residence refused: the single permit is refused although Flanders granted its labour-market part. */
  | 'REFUSED';

/** Where a single permit (gecombineerde vergunning) is in the combined procedure. */
export type CombinedProcedureStage =
  /** Received or admissible in Flanders; Flanders has not decided yet. */
  | 'FLEMISH_TREATMENT'
  /** Inadmissible, refused, cancelled or closed in Flanders: nothing goes to the federal level. */
  | 'ENDED_IN_FLANDERS'
  /** Granted by Flanders, awaiting the Immigration Office's decision on residence. */
  | 'FEDERAL_TREATMENT'
  /** Both parts granted. */
  | 'GRANTED'
  /** Granted by Flanders, residence refused by the Immigration Office. */
  | 'REFUSED_BY_FEDERAL';

/** Record the Immigration Office's decision on a single permit. */
export type RecordFederalDecisionInput = {
  /** An ACT- dossier of a single permit that Flanders granted. */
  dossierId: Scalars['ID']['input'];
  /** GRANTED or REFUSED. */
  decision: FederalDecision;
  /** YYYY-MM-DD, not before the Flemish decision nor in the future. */
  decidedOn: Scalars['Date']['input'];
  /** The Immigration Office's reference (4 to 40 letters, digits, - or /); required unless the procedure has one. */
  federalReference?: InputMaybe<Scalars['String']['input']>;
  /** Chosen by the client: a retry with the same key and input returns the first result; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** Training leave (VOV or BEV) of an employee for a recognised course. */
export type RequestTrainingLeaveInput = {
  /** The employee, as the registry knows them; NOT_FOUND otherwise. */
  personId: Scalars['ID']['input'];
  /** The employer's KBO number (10 digits); NOT_FOUND when the registry does not hold it. */
  employerKbo: Scalars['ID']['input'];
  /** A course of the training database, recognised on courseStartedOn (CONFLICT otherwise). */
  courseId: Scalars['ID']['input'];
  /** VOV or BEV. */
  scheme: Scalars['String']['input'];
  /** First day of the course (YYYY-MM-DD); sets the school year. */
  courseStartedOn: Scalars['Date']['input'];
  /** Day of the request (YYYY-MM-DD); for VOV within three months of the start (CONFLICT otherwise). */
  requestedOn: Scalars['Date']['input'];
  /** Hours of leave: a whole number from 1 up to the course's hours. */
  hours: Scalars['Int']['input'];
};

/** Where a training voucher is: ISSUED, then USED for a course, then REIMBURSED; follows from its dates. */
export type TrainingVoucherStatus =
  /** Issued to the person (uitgegeven), not used yet. */
  | 'ISSUED'
  /** Used for a course or at a training provider, not reimbursed yet. */
  | 'USED'
  /** Reimbursed (uitbetaald). */
  | 'REIMBURSED';

/** Use an issued training voucher: give exactly one of courseId and providerKbo (BAD_USER_INPUT otherwise). */
export type UseTrainingVoucherInput = {
  /** The voucher (digits); NOT_FOUND when unknown. */
  voucherId: Scalars['ID']['input'];
  /** Day of use (YYYY-MM-DD), not before the voucher was issued nor in the future. */
  usedOn: Scalars['Date']['input'];
  /** A course of the training database, recognised on usedOn; or else providerKbo. */
  courseId?: InputMaybe<Scalars['ID']['input']>;
  /** KBO number (10 digits) of a training provider outside the training database; NOT_FOUND when the registry does not hold it. */
  providerKbo?: InputMaybe<Scalars['ID']['input']>;
  /** Chosen by the client: a retry with the same key and input returns the same voucher; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** Reimburse a used training voucher. */
export type ReimburseTrainingVoucherInput = {
  /** The voucher (digits); NOT_FOUND when unknown. */
  voucherId: Scalars['ID']['input'];
  /** YYYY-MM-DD, not before the voucher was used, not in the future. */
  reimbursedOn: Scalars['Date']['input'];
  /** Chosen by the client: a retry with the same key and input returns the same voucher; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** Where a workplace recognition application is. */
export type DualWorkplaceStatus =
  /** Applied for (erkenningsaanvraag), not decided yet. */
  | 'APPLIED'
  /** Recognised (erkend): valid five years from recognisedOn. */
  | 'RECOGNISED'
  /** Refused. */
  | 'REFUSED';

/** Register an agreement (overeenkomst alternerende opleiding) of a learner at a recognised workplace. */
export type RegisterDualAgreementInput = {
  /** The learner, as the registry knows them; NOT_FOUND otherwise. */
  personId: Scalars['ID']['input'];
  /** The workplace (digits); NOT_FOUND when unknown. */
  workplaceId: Scalars['ID']['input'];
  /** First day (YYYY-MM-DD); the workplace must be recognised on this day (CONFLICT otherwise). */
  startsOn: Scalars['Date']['input'];
  /** Last day (YYYY-MM-DD), after startsOn. */
  endsOn: Scalars['Date']['input'];
  /** YYYY-MM-DD, not in the future; the figures count the agreement in this day's school year. */
  registeredOn: Scalars['Date']['input'];
  /** Chosen by the client: a retry with the same key and input returns the same agreement; other input is a CONFLICT. */
  idempotencyKey: Scalars['String']['input'];
};

/** Record an inspection; its outcome follows with recordInspectionOutcome. */
export type RecordInspectionInput = {
  /** KBO number of the organisation inspected (a registry organisation). */
  kbo: Scalars['ID']['input'];
  /** Control domain (see vsiTable), e.g. LDE or DOELGROEPKORTING. */
  domainCode: Scalars['ID']['input'];
  /** YYYY-MM-DD, not in the future. */
  inspectedOn: Scalars['Date']['input'];
  /** TARGETED_CONTROL, PREVENTIVE_ROUND, ILLEGAL_WORK_DETECTION or FINANCIAL_ANALYSIS. */
  kind: Scalars['String']['input'];
  /** Inspector unit, e.g. VSI Antwerpen (1 to 100 characters). */
  unit: Scalars['String']['input'];
  /** Client-chosen key (8-100 characters) that makes a retry safe. */
  idempotencyKey: Scalars['String']['input'];
};

/** A finding (vaststelling) to record with an outcome. */
export type InspectionFindingInput = {
  /** The rule broken: an upper-case code, e.g. LDE_POP_NOT_FORMALISED. */
  ruleCode: Scalars['String']['input'];
  /** What was found, in words; not blank. */
  description: Scalars['String']['input'];
};

/** The outcome of an inspection, recorded once. */
export type RecordInspectionOutcomeInput = {
  /** The inspection, VSI-<number>, without an outcome yet. */
  inspectionId: Scalars['ID']['input'];
  /** NONE, WARNING or OFFICIAL_REPORT. */
  outcome: Scalars['String']['input'];
  /** Proposed recovery in euros, not negative, at most two decimals. */
  proposedRecovery?: InputMaybe<Scalars['Decimal']['input']>;
  /** The findings; none by default. */
  findings?: InputMaybe<Array<InspectionFindingInput>>;
  /** NONE, RE_INSPECTION, FINE_PROCEDURE or RECOVERY. */
  followUp?: InputMaybe<Scalars['String']['input']>;
  /** Day the follow-up is planned (YYYY-MM-DD); null for none. */
  followUpOn?: InputMaybe<Scalars['Date']['input']>;
  /** YYYY-MM-DD, not before the inspection and not in the future. */
  recordedOn: Scalars['Date']['input'];
};

/** What is wrong with a row of the access log's hash chain. */
export type PersonalDataAccessLogProblemKind =
  /** The row's content does not match its hash: it was changed. */
  | 'CHANGED'
  /** The row does not link to the chained row before it and ids are missing between: rows were deleted. */
  | 'MISSING'
  /** The row does not link to the row before it, no ids missing: a row was inserted or the chain restarted. */
  | 'OUT_OF_ORDER'
  /** Hashed with a key this registry does not know: forged, or written under a key not configured. */
  | 'UNKNOWN_KEY'
  /** A row without a hash after the chain started: written around the service. */
  | 'UNCHAINED'
  /** A head recorded earlier (id and hash) is no longer in the log as recorded (command line only). */
  | 'ANCHOR';

/** Life-cycle status of a measure. */
export type MeasureStatus =
  /** Running (actief). */
  | 'ACTIVE'
  /** Being phased out (in uitdoof). */
  | 'PHASING_OUT'
  /** Being reformed (in hervorming). */
  | 'REFORM';

/** Policy field (beleidsveld) of the department. */
export type PolicyField =
  /** Werk */
  | 'WORK'
  /** Competenties */
  | 'COMPETENCES'
  /** Sociale Economie */
  | 'SOCIAL_ECONOMY';

/** Filters of the cross-domain dossier list (allDossiers); all given filters must hold. Days are YYYY-MM-DD, inclusive. */
export type AllDossiersFilter = {
  /** Only the dossiers of these measures (codes of the catalogue, e.g. VOP); an unknown code is NOT_FOUND. */
  measureCodes?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only the dossiers of these domains. */
  domains?: InputMaybe<Array<Domain>>;
  /** Received in this calendar year. */
  year?: InputMaybe<Scalars['Int']['input']>;
  /** Received on or after this day (YYYY-MM-DD). */
  receivedFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Received on or before this day (YYYY-MM-DD). */
  receivedTo?: InputMaybe<Scalars['Date']['input']>;
  /** Decided (granted or refused) on or after this day (YYYY-MM-DD). */
  decidedFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Decided (granted or refused) on or before this day (YYYY-MM-DD). */
  decidedTo?: InputMaybe<Scalars['Date']['input']>;
  /** In one of these statuses now. */
  statuses?: InputMaybe<Array<DossierStatus>>;
};

/** Policy domain: each has its own subgraph. */
export type Domain =
  /** Measures of the activation subgraph. A measure of the policy field Work (beleidsveld Werk): wage subsidies, permits, recognitions, career measures, ESF/AMIF. */
  | 'ACTIVATION'
  /** Measures of the competences subgraph. A training measure (beleidsveld Competenties): training leave, educational leave, training vouchers, the training database, qualifying trajectories. */
  | 'COMPETENCES'
  /** Measures of the social-economy subgraph. A social-economy measure (beleidsveld Sociale Economie): collective custom work, local service economy, arbeidszorg, support measures. */
  | 'SOCIAL_ECONOMY'
  /** Measures of the inspection subgraph. An enforcement measure run by the inspection domain (e.g. administrative fines after a VSI report). */
  | 'INSPECTION';

/** Sector of a social-economy organisation; BW and SW are both custom work (maatwerk, measure MAATWERK) since 2019. */
export type SectorCode =
  /** Former sheltered workplaces (beschutte werkplaatsen), custom-work companies (maatwerkbedrijven) since 2019. */
  | 'BW'
  /** Former social workplaces (sociale werkplaatsen), custom work since 2019. */
  | 'SW'
  /** Local service economy (lokale diensteneconomie) initiatives, measure LDE. */
  | 'LDE';

/** Which settlements contingentTotals sums. */
export type ContingentTotalsFilter = {
  /** A quarter, e.g. 2017-Q4. */
  quarter: Scalars['String']['input'];
  /** Only this sector. */
  sector?: InputMaybe<SectorCode>;
  /** Only the sectors of this measure: MAATWERK (BW and SW) or LDE. */
  measureCode?: InputMaybe<Scalars['ID']['input']>;
  /** Split per province (code, e.g. ANT) when true; otherwise one total. */
  perProvince?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only settlements settled on or before this date (YYYY-MM-DD); all when omitted. */
  asOf?: InputMaybe<Scalars['Date']['input']>;
};

/** Apply for a growth-path call. */
export type ApplyForGrowthPathInput = {
  /** An OPEN call; NOT_FOUND when there is none. */
  callId: Scalars['ID']['input'];
  /** KBO number (10 digits) of an organisation of the call's sector; NOT_FOUND when the registry does not hold it. */
  kbo: Scalars['ID']['input'];
  /** FTE asked, positive, at most two decimals; whole FTE when the call's unit is 1. */
  requestedFte: Scalars['Decimal']['input'];
  /** YYYY-MM-DD, not after the call's deadline (CONFLICT otherwise). */
  submittedOn: Scalars['Date']['input'];
};

export type DashboardLateItemsQueryVariables = Exact<{
  code: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DashboardLateItemsQuery = { __typename?: 'Query', measure?: { __typename?: 'ActivationMeasure', code: string, name?: string | null, normResults?: Array<{ __typename?: 'NormResult', counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string, thresholdDays?: number | null, thresholdRule?: string | null }, items?: { __typename?: 'NormItemConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'NormItem', startedAt: string, endedAt: string, dossier: { __typename?: 'ActivationDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'CompetencesDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'InspectionDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'SocialEconomyDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } }, payment?: { __typename?: 'Payment', id: string, kind: string, amount: string } | null }> } | null }> | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, normResults?: Array<{ __typename?: 'NormResult', counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string, thresholdDays?: number | null, thresholdRule?: string | null }, items?: { __typename?: 'NormItemConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'NormItem', startedAt: string, endedAt: string, dossier: { __typename?: 'ActivationDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'CompetencesDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'InspectionDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'SocialEconomyDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } }, payment?: { __typename?: 'Payment', id: string, kind: string, amount: string } | null }> } | null }> | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, normResults?: Array<{ __typename?: 'NormResult', counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string, thresholdDays?: number | null, thresholdRule?: string | null }, items?: { __typename?: 'NormItemConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'NormItem', startedAt: string, endedAt: string, dossier: { __typename?: 'ActivationDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'CompetencesDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'InspectionDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'SocialEconomyDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } }, payment?: { __typename?: 'Payment', id: string, kind: string, amount: string } | null }> } | null }> | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, normResults?: Array<{ __typename?: 'NormResult', counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string, thresholdDays?: number | null, thresholdRule?: string | null }, items?: { __typename?: 'NormItemConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'NormItem', startedAt: string, endedAt: string, dossier: { __typename?: 'ActivationDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'CompetencesDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'InspectionDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } } | { __typename?: 'SocialEconomyDossier', id: string, kind: string, status: DossierStatus, receivedAt: string, applicant: { __typename: 'Organisation', kboNumber: string, name?: string | null } | { __typename: 'Person', id: string } }, payment?: { __typename?: 'Payment', id: string, kind: string, amount: string } | null }> } | null }> | null } | null };

export type DashboardMeasureCardQueryVariables = Exact<{
  code: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
}>;


export type DashboardMeasureCardQuery = { __typename?: 'Query', measure?: { __typename?: 'ActivationMeasure', code: string, name?: string | null, domain?: Domain | null, status?: MeasureStatus | null, reportSection?: string | null, normResults?: Array<{ __typename?: 'NormResult', target?: number | null, result?: number | null, met?: boolean | null, counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string } }> | null, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, metric: VolumeMetric, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, domain?: Domain | null, status?: MeasureStatus | null, reportSection?: string | null, normResults?: Array<{ __typename?: 'NormResult', target?: number | null, result?: number | null, met?: boolean | null, counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string } }> | null, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, metric: VolumeMetric, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, domain?: Domain | null, status?: MeasureStatus | null, reportSection?: string | null, normResults?: Array<{ __typename?: 'NormResult', target?: number | null, result?: number | null, met?: boolean | null, counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string } }> | null, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, metric: VolumeMetric, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, domain?: Domain | null, status?: MeasureStatus | null, reportSection?: string | null, normResults?: Array<{ __typename?: 'NormResult', target?: number | null, result?: number | null, met?: boolean | null, counted: number, late: number, norm: { __typename?: 'Norm', id: string, label: string } }> | null, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, metric: VolumeMetric, unit: VolumeUnit, value?: number | null }> | null } | null };

export type DashboardMeasureVolumesQueryVariables = Exact<{
  code: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
}>;


export type DashboardMeasureVolumesQuery = { __typename?: 'Query', measure?: { __typename?: 'ActivationMeasure', code: string, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'CompetencesMeasure', code: string, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'InspectionMeasure', code: string, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, unit: VolumeUnit, value?: number | null }> | null } | { __typename?: 'SocialEconomyMeasure', code: string, volumes?: Array<{ __typename?: 'Volume', id: string, label: string, unit: VolumeUnit, value?: number | null }> | null } | null };

export type DashboardNormTableQueryVariables = Exact<{
  year: Scalars['Int']['input'];
}>;


export type DashboardNormTableQuery = { __typename?: 'Query', normResultsTable?: Array<{ __typename?: 'ActivationNormResultRow', normId: string, overviewRowId?: string | null, label?: string | null, target?: number | null, result?: number | null, met?: boolean | null, counted?: number | null, late?: number | null, measure: { __typename?: 'ActivationMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, domain?: Domain | null } } | { __typename?: 'CompetencesNormResultRow', normId: string, overviewRowId?: string | null, label?: string | null, target?: number | null, result?: number | null, met?: boolean | null, counted?: number | null, late?: number | null, measure: { __typename?: 'ActivationMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, domain?: Domain | null } } | { __typename?: 'InspectionNormResultRow', normId: string, overviewRowId?: string | null, label?: string | null, target?: number | null, result?: number | null, met?: boolean | null, counted?: number | null, late?: number | null, measure: { __typename?: 'ActivationMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, domain?: Domain | null } } | { __typename?: 'SocialEconomyNormResultRow', normId: string, overviewRowId?: string | null, label?: string | null, target?: number | null, result?: number | null, met?: boolean | null, counted?: number | null, late?: number | null, measure: { __typename?: 'ActivationMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'CompetencesMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'InspectionMeasure', code: string, name?: string | null, domain?: Domain | null } | { __typename?: 'SocialEconomyMeasure', code: string, name?: string | null, domain?: Domain | null } }> | null };

export type DashboardPersonTimelineQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['Date']['input']>;
  to?: InputMaybe<Scalars['Date']['input']>;
}>;


export type DashboardPersonTimelineQuery = { __typename?: 'Query', person?: { __typename?: 'Person', id: string, givenName?: string | null, familyName?: string | null, nationalNumber?: string | null, province?: { __typename?: 'Province', code: string, name: string } | null, timeline?: Array<{ __typename?: 'TimelineEvent', day: string, at?: string | null, domain: string, type: string, measureCode?: string | null, reference: string, summary: string }> | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const DashboardLateItemsDocument = new TypedDocumentString(`
    query DashboardLateItems($code: ID!, $year: Int!, $first: Int!, $after: String) {
  measure(code: $code) {
    code
    name
    normResults(year: $year) {
      norm {
        id
        label
        thresholdDays
        thresholdRule
      }
      counted
      late
      items(onTime: false, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          startedAt
          endedAt
          dossier {
            id
            kind
            status
            receivedAt
            applicant {
              __typename
              ... on Person {
                id
              }
              ... on Organisation {
                kboNumber
                name
              }
            }
          }
          payment {
            id
            kind
            amount
          }
        }
      }
    }
  }
}
    `, {"hash":"ff4b83d39ad242d3a1bbd01698a1a23b808142ea4b04340ff3189c4d674d9f7a"}) as unknown as TypedDocumentString<DashboardLateItemsQuery, DashboardLateItemsQueryVariables>;
export const DashboardMeasureCardDocument = new TypedDocumentString(`
    query DashboardMeasureCard($code: ID!, $year: Int!) {
  measure(code: $code) {
    code
    name
    domain
    status
    reportSection
    normResults(year: $year) {
      norm {
        id
        label
      }
      target
      result
      met
      counted
      late
    }
    volumes(year: $year) {
      id
      label
      metric
      unit
      value
    }
  }
}
    `, {"hash":"2216b0c0480b9c4e8d99c1d7379826e9f6910ee33d23026257c24f393835a095"}) as unknown as TypedDocumentString<DashboardMeasureCardQuery, DashboardMeasureCardQueryVariables>;
export const DashboardMeasureVolumesDocument = new TypedDocumentString(`
    query DashboardMeasureVolumes($code: ID!, $year: Int!) {
  measure(code: $code) {
    code
    volumes(year: $year) {
      id
      label
      unit
      value
    }
  }
}
    `, {"hash":"0f9c7bd2c628d348d5b6552e4d3e765309b0c0903a6b671fcd2e0639c40fce12"}) as unknown as TypedDocumentString<DashboardMeasureVolumesQuery, DashboardMeasureVolumesQueryVariables>;
export const DashboardNormTableDocument = new TypedDocumentString(`
    query DashboardNormTable($year: Int!) {
  normResultsTable(year: $year) {
    normId
    overviewRowId
    label
    target
    result
    met
    counted
    late
    measure {
      code
      name
      domain
    }
  }
}
    `, {"hash":"e91f3ffcb5fecc708dc44c4ad1a20929c752c69d79c2ae437db3b23bbb3b00ee"}) as unknown as TypedDocumentString<DashboardNormTableQuery, DashboardNormTableQueryVariables>;
export const DashboardPersonTimelineDocument = new TypedDocumentString(`
    query DashboardPersonTimeline($id: ID!, $from: Date, $to: Date) {
  person(id: $id) {
    id
    givenName
    familyName
    nationalNumber
    province {
      code
      name
    }
    timeline(from: $from, to: $to) {
      day
      at
      domain
      type
      measureCode
      reference
      summary
    }
  }
}
    `, {"hash":"e76eb307923ae170816ba40e6fe94b448b9f033ad768ccc5f05fe7dc55f62985"}) as unknown as TypedDocumentString<DashboardPersonTimelineQuery, DashboardPersonTimelineQueryVariables>;