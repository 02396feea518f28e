import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * GraphiQL served from the gateway's own node_modules, so the IDE works without internet access
 * (no CDN). Assets are read once and served with long-lived caching.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

// Files are located from each package's root: their `exports` maps do not all list the UMD builds.
const packageDir = (pkg: string): string => path.dirname(require.resolve(`${pkg}/package.json`));

export const IDE_ASSET_PREFIX = '/ide/';

const cache = new Map<string, Buffer>();

/** Returns an IDE asset by its short name, or undefined when there is none. */
export function ideAsset(name: string): { body: Buffer; type: string } | undefined {
  // Own keys only: names like "constructor" or "__proto__" are not assets.
  if (!Object.hasOwn(ASSETS, name)) return undefined;
  const asset = ASSETS[name]!;
  let body = cache.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(packageDir(asset.pkg), asset.file));
    cache.set(name, body);
  }
  return { body, type: asset.type };
}

const DEFAULT_QUERY = `# Measures of all four policy domains, with their norms from the owning domain subgraph.
{
  measures {
    code
    name
    domain
    status
    norms {
      label
      targetShare
    }
  }
}
`;

/** The IDE page; it posts to the same path it was loaded from. */
export function ideHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Measure graph</title>
<link rel="stylesheet" href="${IDE_ASSET_PREFIX}graphiql.css">
<style>html,body,#ide{height:100%;margin:0}</style>
</head>
<body>
<div id="ide"></div>
<script src="${IDE_ASSET_PREFIX}react.js"></script>
<script src="${IDE_ASSET_PREFIX}react-dom.js"></script>
<script src="${IDE_ASSET_PREFIX}graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} }),
  );
</script>
</body>
</html>`;
}
