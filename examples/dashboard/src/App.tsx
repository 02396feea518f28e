import { useMemo, useState } from 'react';
import { SEND_QUERY_TEXT, type AppConfig, type Credentials } from './client.ts';
import { href, useRoute } from './route.ts';
import { LateItems } from './views/LateItems.tsx';
import { MeasureCard } from './views/MeasureCard.tsx';
import { NormTable } from './views/NormTable.tsx';
import { PersonTimeline } from './views/PersonTimeline.tsx';

export function App({ config }: { config: AppConfig }) {
  const route = useRoute();
  // Kept in memory only: a token in localStorage outlives the tab and is readable by any script of
  // the origin. A real frontend gets it from its OpenID Connect login instead of a text field.
  const [token, setToken] = useState('');
  const [purpose, setPurpose] = useState('');
  const credentials: Credentials = useMemo(() => ({ token, purpose }), [token, purpose]);
  const year = 'year' in route ? route.year : 2020;
  return (
    <>
      <header>
        <h1>Measure graph dashboard</h1>
        <nav aria-label="Views">
          <a href={href({ view: 'norms', year })}>Norm table</a>{' '}
          <a href={href({ view: 'person', id: route.view === 'person' ? route.id : '' })}>Person timeline</a>
        </nav>
        <form className="credentials" onSubmit={(e) => e.preventDefault()}>
          <label>
            Access token{' '}
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-describedby="token-help"
            />
          </label>{' '}
          <label>
            Purpose <input value={purpose} onChange={(e) => setPurpose(e.target.value)} aria-describedby="token-help" />
          </label>
          <p id="token-help" className="help">
            Public figures need no token. Late dossiers need the scope dossiers:read, a person’s timeline persons:read
            and dossiers:read; an unmasked national number person:identify and a purpose (sent as x-purpose, written to
            the access log).
          </p>
        </form>
        {SEND_QUERY_TEXT ? (
          <p className="warning" role="note">
            Development build: operations are sent as query text, not as persisted documents.
          </p>
        ) : null}
      </header>
      <main>
        {route.view === 'norms' ? (
          <NormTable config={config} credentials={credentials} year={route.year} />
        ) : route.view === 'measure' ? (
          <MeasureCard key={route.code} config={config} credentials={credentials} code={route.code} year={route.year} />
        ) : route.view === 'late' ? (
          <LateItems
            key={`${route.normId}-${route.year}`}
            config={config}
            credentials={credentials}
            code={route.code}
            normId={route.normId}
            year={route.year}
          />
        ) : (
          <PersonTimeline key={route.id} config={config} credentials={credentials} id={route.id} />
        )}
      </main>
    </>
  );
}
