import { useQuery, type AppConfig, type Credentials } from '../client.ts';
import { formatNumber, formatShare, NONE, verdict } from '../format.ts';
import { DashboardNormTableDocument, type DashboardNormTableQuery } from '../gql/graphql.ts';
import { href, navigate } from '../route.ts';
import { QueryView, YearPicker } from './common.tsx';

type Row = NonNullable<DashboardNormTableQuery['normResultsTable']>[number];

/** View 1: the norm table of a year (Overzichtstabel 1) with met / not met per norm. Public. */
export function NormTable({
  config,
  credentials,
  year,
}: {
  config: AppConfig;
  credentials: Credentials;
  year: number;
}) {
  const state = useQuery(config, DashboardNormTableDocument, { year }, credentials);
  return (
    <section aria-labelledby="norms-title">
      <h2 id="norms-title">Norm table {year}</h2>
      <YearPicker year={year} onChange={(y) => navigate({ view: 'norms', year: y })} />
      <QueryView state={state} label="the norm table">
        {(data) => <Rows rows={data?.normResultsTable ?? []} year={year} />}
      </QueryView>
    </section>
  );
}

function Rows({ rows, year }: { rows: readonly Row[]; year: number }) {
  const met = rows.filter((r) => r.met === true).length;
  const notMet = rows.filter((r) => r.met === false).length;
  return (
    <>
      <p className="summary" data-testid="norm-summary">
        <span data-testid="rows">{rows.length}</span> norms: <strong data-testid="met">{met}</strong> met,{' '}
        <strong data-testid="not-met">{notMet}</strong> not met,{' '}
        <span data-testid="no-verdict">{rows.length - met - notMet}</span> without a verdict.
      </p>
      <div className="scroll">
        <table className="norms">
          <caption>Service norms of {year}: result against target, per norm of the overview table</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Norm</th>
              <th scope="col">Measure</th>
              <th scope="col">Norm wording</th>
              <th scope="col" className="num">
                Target
              </th>
              <th scope="col" className="num">
                Result
              </th>
              <th scope="col" className="num">
                Counted
              </th>
              <th scope="col" className="num">
                Late
              </th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.normId} data-norm-id={r.normId} className={r.met === false ? 'not-met' : undefined}>
                <td>{r.overviewRowId ?? NONE}</td>
                <th scope="row">{r.normId}</th>
                <td>
                  <a href={href({ view: 'measure', code: r.measure.code, year })} title={r.measure.name ?? undefined}>
                    {r.measure.code}
                  </a>
                </td>
                <td>{r.label ?? NONE}</td>
                <td className="num">{formatShare(r.target)}</td>
                <td className="num">{formatShare(r.result)}</td>
                <td className="num">{formatNumber(r.counted)}</td>
                <td className="num">
                  {r.late ? (
                    <a
                      href={href({ view: 'late', code: r.measure.code, normId: r.normId, year })}
                      aria-label={`${r.late} late for ${r.normId}: show the late dossiers`}
                    >
                      {formatNumber(r.late)}
                    </a>
                  ) : (
                    formatNumber(r.late)
                  )}
                </td>
                <td data-testid="verdict">
                  <span className={`badge ${r.met === true ? 'ok' : r.met === false ? 'ko' : 'none'}`}>
                    {verdict(r.met)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
