import { useEffect, useState } from 'react';

/**
 * The views, addressed by the URL's hash so that every view can be bookmarked and linked to, and the
 * built files can be served by any static server (no rewrites needed).
 */
export type Route =
  | { view: 'norms'; year: number }
  | { view: 'measure'; code: string; year: number }
  | { view: 'late'; code: string; normId: string; year: number }
  | { view: 'person'; id: string };

export const DEFAULT_YEAR = 2020;

export function href(route: Route): string {
  const e = encodeURIComponent;
  switch (route.view) {
    case 'norms':
      return `#/norms/${route.year}`;
    case 'measure':
      return `#/measures/${e(route.code)}/${route.year}`;
    case 'late':
      return `#/measures/${e(route.code)}/norms/${e(route.normId)}/${route.year}/late`;
    case 'person':
      return `#/persons/${e(route.id)}`;
  }
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const year = (s: string | undefined) => (s && /^\d{4}$/.test(s) ? Number(s) : DEFAULT_YEAR);
  if (parts[0] === 'measures' && parts[1]) {
    if (parts[2] === 'norms' && parts[3])
      return { view: 'late', code: parts[1], normId: parts[3], year: year(parts[4]) };
    return { view: 'measure', code: parts[1], year: year(parts[2]) };
  }
  if (parts[0] === 'persons') return { view: 'person', id: parts[1] ?? '' };
  return { view: 'norms', year: year(parts[1]) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}
