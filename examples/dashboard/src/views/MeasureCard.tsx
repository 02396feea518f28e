import { useEffect, useState } from 'react';
import { execute, useQuery, type AppConfig, type Credentials } from '../client.ts';
import { formatNumber, formatShare, NONE, verdict } from '../format.ts';
import {
  DashboardMeasureCardDocument,
  DashboardMeasureVolumesDocument,
  type DashboardMeasureCardQuery,
  type DashboardMeasureVolumesQuery,
} from '../gql/graphql.ts';
import { href, navigate } from '../route.ts';
import { TREND_YEARS } from '../settings.ts';
import { QueryView, YearPicker } from './common.tsx';
import { TrendChart } from './TrendChart.tsx';

type NormResults = NonNullable<NonNullable<DashboardMeasureCardQuery['measure']>['normResults']>;
type Volumes = NonNullable<NonNullable<DashboardMeasureVolumesQuery['measure']>['volumes']>;

/** The volumes of each earlier year of the trend, one request per year (each a persisted document). */
function useEarlierVolumes(config: AppConfig, credentials: Credentials, code: string, year: number) {
  const [byYear, setByYear] = useState<Map<number, Volumes | null> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const years = Array.from({ length: TREND_YEARS - 1 }, (_, i) => year - (TREND_YEARS - 1) + i);
    setByYear(null);
    setError(null);
    Promise.all(
      years.map((y) =>
        execute(config, DashboardMeasureVolumesDocument, { code, year: y }, credentials, controller.signal).then(
          (r) => [y, r.data?.measure?.volumes ?? null] as const,
        ),
      ),
    ).then(
      (entries) => {
        if (!controller.signal.aborted) setByYear(new Map(entries));
      },
      (err: Error) => {
        if (!controller.signal.aborted) setError(err.message);
      },
    );
    return () => controller.abort();
  }, [config, credentials, code, year]);
  return { byYear, error };
}

/** View 2: a measure's card: its volumes of the chosen year and the years before, with a trend. Public. */
export function MeasureCard({
  config,
  credentials,
  code,
  year,
}: {
  config: AppConfig;
  credentials: Credentials;
  code: string;
  year: number;
}) {
  const state = useQuery(config, DashboardMeasureCardDocument, { code, year }, credentials);
  const earlier = useEarlierVolumes(config, credentials, code, year);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <section aria-labelledby="measure-title">
      <p>
        <a href={href({ view: 'norms', year })}>← Norm table {year}</a>
      </p>
      <QueryView state={state} label={`measure ${code}`}>
        {(data) => {
          const measure = data?.measure;
          if (!measure) return <h2 id="measure-title">Measure {code}</h2>;
          const volumes = measure.volumes ?? [];
          const years = [...(earlier.byYear?.keys() ?? []), year];
          const valueOf = (id: string, y: number) =>
            (y === year ? volumes : (earlier.byYear?.get(y) ?? [])).find((v) => v.id === id)?.value ?? null;
          const chosen = volumes.find((v) => v.id === selected) ?? volumes[0];
          return (
            <>
              <h2 id="measure-title">
                {measure.name ?? code} <span className="code">({measure.code})</span>
              </h2>
              <dl className="facts">
                <dt>Domain</dt>
                <dd>{measure.domain ?? NONE}</dd>
                <dt>Status</dt>
                <dd>{measure.status ?? NONE}</dd>
                <dt>Report section</dt>
                <dd>{measure.reportSection ?? NONE}</dd>
              </dl>
              <YearPicker year={year} onChange={(y) => navigate({ view: 'measure', code, year: y })} />
              <NormResults code={measure.code} year={year} results={measure.normResults ?? []} />
              {earlier.error ? (
                <div role="alert" className="errors">
                  Earlier years: {earlier.error}
                </div>
              ) : null}
              {volumes.length === 0 ? (
                <p>No volumes for {year}.</p>
              ) : (
                <>
                  <div className="scroll">
                    <table className="volumes">
                      <caption>
                        Volumes of {measure.code}, {years[0]}–{year}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Volume</th>
                          {years.map((y) => (
                            <th scope="col" className="num" key={y}>
                              {y}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {volumes.map((v) => (
                          <tr key={v.id} data-volume-id={v.id}>
                            <th scope="row">{v.label}</th>
                            {years.map((y) => (
                              <td className="num" key={y} data-year={y}>
                                {earlier.byYear || y === year
                                  ? v.unit === 'SHARE'
                                    ? formatShare(valueOf(v.id, y))
                                    : formatNumber(valueOf(v.id, y))
                                  : '…'}
                              </td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {chosen ? (
                    <figure className="trend">
                      <figcaption>
                        <label>
                          Trend of{' '}
                          <select value={chosen.id} onChange={(e) => setSelected(e.target.value)}>
                            {volumes.map((v) => (
                              <option key={v.id} value={v.id}>
                                {v.label}
                              </option>
                            ))}
                          </select>
                        </label>
                      </figcaption>
                      {earlier.byYear ? (
                        <TrendChart
                          title={chosen.label}
                          unit={chosen.unit}
                          points={years.map((y) => ({ year: y, value: valueOf(chosen.id, y) }))}
                        />
                      ) : (
                        <p role="status">Loading earlier years…</p>
                      )}
                    </figure>
                  ) : null}
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

/** The measure's norms of the year, each with a way down to its late items. */
function NormResults({ code, year, results }: { code: string; year: number; results: NormResults }) {
  if (results.length === 0) return null;
  return (
    <div className="scroll">
      <table className="measure-norms">
        <caption>
          Norms of {code}, {year}
        </caption>
        <thead>
          <tr>
            <th scope="col">Norm</th>
            <th scope="col">Wording</th>
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
          {results.map((r) => (
            <tr key={r.norm.id} data-norm-id={r.norm.id}>
              <th scope="row">{r.norm.id}</th>
              <td>{r.norm.label}</td>
              <td className="num">{formatShare(r.target)}</td>
              <td className="num">{formatShare(r.result)}</td>
              <td className="num">{formatNumber(r.counted)}</td>
              <td className="num">
                {r.late > 0 ? (
                  <a
                    href={href({ view: 'late', code, normId: r.norm.id, year })}
                    aria-label={`${r.late} late for ${r.norm.id}: show the late dossiers`}
                  >
                    {formatNumber(r.late)}
                  </a>
                ) : (
                  formatNumber(r.late)
                )}
              </td>
              <td>
                <span className={`badge ${r.met === true ? 'ok' : r.met === false ? 'ko' : 'none'}`}>
                  {verdict(r.met)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
