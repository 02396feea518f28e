import type { ReactNode } from 'react';
import type { GraphQLErrorShape, QueryState } from '../client.ts';

/** What a protected view needs, in words, for the errors the gateway gives without it. */
const HINTS: Record<string, string> = {
  UNAUTHENTICATED:
    'Paste an access token with that scope in the field above (npm run token prints one in development).',
  FORBIDDEN: 'The token lacks a scope this view needs.',
  // The gateway's code for a documentId it does not know (either spelling in use by GraphQL servers).
  PERSISTED_QUERY_NOT_FOUND: 'The gateway does not know this build’s persisted documents: deploy its manifest.',
  PERSISTED_DOCUMENT_NOT_FOUND: 'The gateway does not know this build’s persisted documents: deploy its manifest.',
};

export function Errors({ errors }: { errors: readonly GraphQLErrorShape[] }) {
  if (errors.length === 0) return null;
  // The same refusal at many paths (e.g. `items` of every norm result) is shown once, with a count.
  const distinct = new Map<string, { error: GraphQLErrorShape; count: number }>();
  for (const error of errors) {
    const key = `${error.extensions?.code ?? ''} ${error.message}`;
    const seen = distinct.get(key);
    if (seen) seen.count += 1;
    else distinct.set(key, { error, count: 1 });
  }
  return (
    <div role="alert" className="errors">
      <ul>
        {[...distinct.values()].map(({ error: e, count }, i) => {
          const code = e.extensions?.code;
          const scope = e.extensions?.scope;
          return (
            <li key={i}>
              {code ? <code>{code}</code> : null} {e.message}
              {scope && !e.message.includes(scope) ? ` (scope ${scope})` : ''}
              {count > 1 ? ` (${count} times)` : ''}
              {code && HINTS[code] ? <> — {HINTS[code]}</> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Loading and transport failures in one place; `children` renders the answer (with its errors). */
export function QueryView<R>({
  state,
  label,
  children,
}: {
  state: QueryState<R>;
  label: string;
  children: (data: R | null) => ReactNode;
}) {
  if (state.status === 'loading')
    return (
      <p role="status" aria-live="polite">
        Loading {label}…
      </p>
    );
  if (state.status === 'failed')
    return (
      <div role="alert" className="errors">
        {state.message}
      </div>
    );
  return (
    <>
      <Errors errors={state.errors} />
      {children(state.data)}
    </>
  );
}

/** The years the report and the demo data cover, and a few around them. */
export const YEARS = [2016, 2017, 2018, 2019, 2020, 2021];

export function YearPicker({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const years = YEARS.includes(year) ? YEARS : [...YEARS, year].sort();
  return (
    <p className="inline">
      <label>
        Year{' '}
        <select value={year} onChange={(e) => onChange(Number(e.target.value))}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
    </p>
  );
}
