import { useState } from 'react';
import { useQuery, type AppConfig, type Credentials } from '../client.ts';
import { daysBetween, formatDateTime, formatDays, formatEuro, formatNumber, NONE } from '../format.ts';
import { DashboardLateItemsDocument, type DashboardLateItemsQuery } from '../gql/graphql.ts';
import { href } from '../route.ts';
import { PAGE_SIZE } from '../settings.ts';
import { QueryView } from './common.tsx';

type NormResult = NonNullable<NonNullable<DashboardLateItemsQuery['measure']>['normResults']>[number];
type Item = NonNullable<NormResult['items']>['nodes'][number];

/**
 * View 3: the drill-down from a norm result to the dossiers (or payments) that missed it. Scope
 * dossiers:read; without it the gateway serves the result's counts and FORBIDDEN at `items`.
 */
export function LateItems({
  config,
  credentials,
  code,
  normId,
  year,
}: {
  config: AppConfig;
  credentials: Credentials;
  code: string;
  normId: string;
  year: number;
}) {
  // Cursors of the pages seen, to go back without keeping every page in memory.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const state = useQuery(config, DashboardLateItemsDocument, { code, year, first: PAGE_SIZE, after }, credentials);
  return (
    <section aria-labelledby="late-title">
      <p>
        <a href={href({ view: 'norms', year })}>← Norm table {year}</a> ·{' '}
        <a href={href({ view: 'measure', code, year })}>Measure {code}</a>
      </p>
      <h2 id="late-title">
        Late for norm {normId}, {year}
      </h2>
      <QueryView state={state} label={`the late items of ${normId}`}>
        {(data) => {
          const result = data?.measure?.normResults?.find((r) => r.norm.id === normId);
          if (!result)
            return data?.measure ? (
              <p>
                Measure {code} has no result for norm {normId} in {year}.
              </p>
            ) : null;
          const items = result.items;
          const page = cursors.length;
          return (
            <>
              <p className="norm-label">{result.norm.label}</p>
              <p className="summary" data-testid="late-summary">
                <strong data-testid="late-count">{formatNumber(result.late)}</strong> late of{' '}
                {formatNumber(result.counted)} counted
                {result.norm.thresholdDays !== null && result.norm.thresholdDays !== undefined
                  ? ` (threshold ${formatNumber(result.norm.thresholdDays)} days)`
                  : result.norm.thresholdRule
                    ? ` (threshold ${result.norm.thresholdRule})`
                    : ''}
                .
              </p>
              {items ? (
                <>
                  <ItemTable items={items.nodes} caption={`Late items of ${normId}, page ${page}`} />
                  <nav aria-label="Pages" className="pager">
                    <button type="button" disabled={page === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                      Previous page
                    </button>{' '}
                    <span>
                      Page {page} of {Math.max(1, Math.ceil(items.totalCount / PAGE_SIZE))}
                    </span>{' '}
                    <button
                      type="button"
                      disabled={!items.pageInfo.hasNextPage}
                      onClick={() => setCursors([...cursors, items.pageInfo.endCursor ?? null])}
                    >
                      Next page
                    </button>
                  </nav>
                </>
              ) : (
                <p>The late items need a token with the dossiers:read scope.</p>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function ItemTable({ items, caption }: { items: readonly Item[]; caption: string }) {
  if (items.length === 0) return <p>Nothing was late.</p>;
  const payments = items.some((i) => i.payment);
  return (
    <div className="scroll">
      <table className="late">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Dossier</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Applicant</th>
            <th scope="col">Clock started</th>
            <th scope="col">Clock stopped</th>
            <th scope="col" className="num">
              Days
            </th>
            {payments ? (
              <th scope="col" className="num">
                Payment
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => {
            const d = item.dossier;
            return (
              <tr key={`${d.id}-${item.payment?.id ?? i}`} data-dossier-id={d.id}>
                <th scope="row">{d.id}</th>
                <td>{d.kind}</td>
                <td>{d.status}</td>
                <td>
                  {d.applicant.__typename === 'Person' ? (
                    <a href={href({ view: 'person', id: d.applicant.id })}>person {d.applicant.id}</a>
                  ) : d.applicant.__typename === 'Organisation' ? (
                    `${d.applicant.name ?? NONE} (${d.applicant.kboNumber})`
                  ) : (
                    NONE
                  )}
                </td>
                <td>{formatDateTime(item.startedAt)}</td>
                <td>{formatDateTime(item.endedAt)}</td>
                <td className="num">{formatDays(daysBetween(item.startedAt, item.endedAt))}</td>
                {payments ? <td className="num">{formatEuro(item.payment?.amount)}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
