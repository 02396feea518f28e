import { useState, type FormEvent } from 'react';
import { useQuery, type AppConfig, type Credentials } from '../client.ts';
import { formatDateTime, NONE } from '../format.ts';
import { DashboardPersonTimelineDocument } from '../gql/graphql.ts';
import { navigate } from '../route.ts';
import { QueryView } from './common.tsx';

/**
 * View 4: everything that happened to a person, across domains. Personal data: the person needs
 * persons:read, the timeline dossiers:read (inspections, employments ... only with their own
 * scopes); the national number stays masked unless the token has person:identify and a purpose is
 * given, and every unmasked read is written to the access log.
 */
export function PersonTimeline({
  config,
  credentials,
  id,
}: {
  config: AppConfig;
  credentials: Credentials;
  id: string;
}) {
  const [draft, setDraft] = useState(id);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) navigate({ view: 'person', id: draft.trim() });
  };
  return (
    <section aria-labelledby="person-title">
      <h2 id="person-title">Person timeline</h2>
      <form className="inline" onSubmit={onSubmit}>
        <label>
          Person id <input value={draft} onChange={(e) => setDraft(e.target.value)} required />
        </label>{' '}
        <button type="submit">Show timeline</button>
      </form>
      {id ? <Timeline config={config} credentials={credentials} id={id} /> : null}
    </section>
  );
}

function Timeline({ config, credentials, id }: { config: AppConfig; credentials: Credentials; id: string }) {
  const state = useQuery(config, DashboardPersonTimelineDocument, { id }, credentials);
  return (
    <QueryView state={state} label="the timeline">
      {(data) => {
        const person = data?.person;
        if (!person) return null;
        const name = [person.givenName, person.familyName].filter(Boolean).join(' ') || NONE;
        const events = person.timeline;
        return (
          <>
            <dl className="facts">
              <dt>Name</dt>
              <dd data-testid="person-name">{name}</dd>
              <dt>National number</dt>
              <dd data-testid="national-number">{person.nationalNumber ?? NONE}</dd>
              <dt>Province</dt>
              <dd>{person.province?.name ?? NONE}</dd>
            </dl>
            {events === null || events === undefined ? (
              <p>The timeline needs a token with the dossiers:read scope.</p>
            ) : events.length === 0 ? (
              <p>Nothing happened to this person in the domains your token can see.</p>
            ) : (
              <div className="scroll">
                <table className="timeline">
                  <caption>
                    Timeline of person {person.id}, oldest first ({events.length} events)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Domain</th>
                      <th scope="col">What</th>
                      <th scope="col">Measure</th>
                      <th scope="col">Reference</th>
                      <th scope="col">Summary</th>
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((e, i) => (
                      <tr key={`${e.reference}-${e.type}-${i}`} data-reference={e.reference}>
                        <td>
                          {/* An event known only by its day has no time of day (at is null). */}
                          <time dateTime={e.at ?? e.day}>{formatDateTime(e.at ?? e.day)}</time>
                        </td>
                        <td>{e.domain}</td>
                        <td>{e.type}</td>
                        <td>{e.measureCode ?? NONE}</td>
                        <td>{e.reference}</td>
                        <td>{e.summary}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        );
      }}
    </QueryView>
  );
}
