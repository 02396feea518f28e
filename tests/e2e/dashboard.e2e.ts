import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedMeasures } from '@measure-graph/db';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, formatShare, verdict } from '../../examples/dashboard/src/format.ts';
import { PAGE_SIZE, TREND_YEARS } from '../../examples/dashboard/src/settings.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The reference dashboard (examples/dashboard) as a frontend team ships it: built with Vite, served
 * from another origin than the gateway, driven in headless Chromium. Every figure the page shows is
 * compared with what the API returns for the same question.
 * The page calls the gateway directly across origins (CORS) and sends only persisted documents
 * (`documentId`, the app's manifest in schema/persisted-documents/dashboard.json).
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const appRoot = path.join(repoRoot, 'examples/dashboard');
const outputDir = path.join(repoRoot, 'tests/output/dashboard');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const YEAR = 2020;

let graph: TestStack;
let server: http.Server;
let appOrigin: string;
let browser: Browser;
/** Every GraphQL request the page sent, with where it went and its body. */
const sent: Array<{ url: string; body: Record<string, unknown> }> = [];

const NORM_TABLE = `query ($year: Int!) { normResultsTable(year: $year) {
  normId label result target met counted late measure { code name } } }`;
type NormRow = {
  normId: string;
  label: string | null;
  result: number | null;
  target: number | null;
  met: boolean | null;
  counted: number | null;
  late: number | null;
  measure: { code: string; name: string | null };
};

/** What the static server serves: the built app (none until it is built) and the gateway's URL. */
const served = { dir: '', gatewayUrl: '' };

/** Serves the built app and a config.json naming the gateway (on another origin). */
function startStaticServer(): Promise<http.Server> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
  };
  const s = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ graphqlUrl: served.gatewayUrl }));
      return;
    }
    const file = path.join(served.dir, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!served.dir || !file.startsWith(served.dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (req: Request) => {
    if (req.method() !== 'POST' || !req.url().endsWith('/graphql')) return;
    sent.push({ url: req.url(), body: JSON.parse(req.postData() ?? '{}') as Record<string, unknown> });
  });
  return page;
}

beforeAll(async () => {
  graph = await startTestStack();
  served.gatewayUrl = graph.url;
  server = await startStaticServer();
  appOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  served.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-build-'));
  await build({
    root: appRoot,
    configFile: path.join(appRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: served.dir, emptyOutDir: true, sourcemap: false },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (served.dir) fs.rmSync(served.dir, { recursive: true, force: true });
  await graph?.stop();
});

describe('the reference dashboard in a browser, against the stack', () => {
  it('sends persisted documents (documentId) straight to the gateway on another origin, which refuses unlisted origins', async () => {
    const page = await newPage();
    sent.length = 0;
    await page.goto(`${appOrigin}/#/norms/${YEAR}`);
    await page.getByTestId('norm-summary').waitFor();
    expect(sent.length).toBeGreaterThan(0);
    for (const { url, body } of sent) {
      expect(body['operationName']).toBe('DashboardNormTable');
      expect(body['documentId']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(body).not.toHaveProperty('query');
      // Cross-origin, straight to the gateway.
      expect(new URL(url).origin).toBe(new URL(graph.url).origin);
      expect(new URL(url).origin).not.toBe(appOrigin);
    }
    const refused = await fetch(graph.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://unlisted.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.text()).toContain('CORS_ORIGIN_NOT_ALLOWED');
    await page.close();
  });

  it("shows the report's norm table with the API's met / not met per row, opens a measure's card with volumes and a trend", async () => {
    const api = (await graph.data<{ normResultsTable: NormRow[] }>(NORM_TABLE, { year: YEAR })).normResultsTable;
    const reportRows = publishedMeasures()
      .flatMap((m) => m.norms)
      .filter((n) => n.overviewRowId).length;
    expect(api).toHaveLength(reportRows);

    const page = await newPage();
    await page.goto(`${appOrigin}/#/norms/${YEAR}`);
    await page.getByTestId('norm-summary').waitFor();
    const rows = page.locator('table.norms tbody tr');
    expect(await rows.count()).toBe(api.length);
    expect(await page.getByTestId('rows').textContent()).toBe(String(api.length));
    expect(await page.getByTestId('met').textContent()).toBe(String(api.filter((r) => r.met === true).length));
    expect(await page.getByTestId('not-met').textContent()).toBe(String(api.filter((r) => r.met === false).length));
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        normId: tr.getAttribute('data-norm-id'),
        cells: [...tr.children].map((c) => c.textContent?.trim()),
      })),
    );
    expect(shown.map((r) => r.normId)).toEqual(api.map((r) => r.normId));
    for (const [i, r] of api.entries()) {
      const cells = shown[i]!.cells;
      expect(cells[2], r.normId).toBe(r.measure.code);
      expect(cells[4], r.normId).toBe(formatShare(r.target));
      expect(cells[5], r.normId).toBe(formatShare(r.result));
      expect(cells[6], r.normId).toBe(formatNumber(r.counted));
      expect(cells[7], r.normId).toBe(formatNumber(r.late));
      expect(cells[8], r.normId).toBe(verdict(r.met));
    }
    await screenshot(page, '1-norm-table');

    // A measure with late items, so the card and the drill-down below are about the same one.
    const row = api.find((r) => (r.late ?? 0) > 0) ?? api[0]!;
    const code = row.measure.code;
    await page.locator('table.norms tbody').getByRole('link', { name: code, exact: true }).first().click();
    await page.locator('table.volumes').waitFor();
    await page.getByTestId('trend-chart').waitFor();
    const years = Array.from({ length: TREND_YEARS }, (_, i) => YEAR - TREND_YEARS + 1 + i);
    const volumes = await Promise.all(
      years.map(async (year) => {
        const d = await graph.data<{
          measure: { name: string; volumes: Array<{ id: string; label: string; unit: string; value: number | null }> };
        }>(
          'query ($code: ID!, $year: Int!) { measure(code: $code) { name volumes(year: $year) { id label unit value } } }',
          { code, year },
        );
        return { year, measure: d.measure };
      }),
    );
    const current = volumes.at(-1)!.measure;
    expect(await page.locator('#measure-title').textContent()).toContain(current.name);
    // The card's norms: the measure's rows of the norm table, with the same verdicts.
    const normRows = await page
      .locator('table.measure-norms tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-norm-id'), tr.lastElementChild?.textContent?.trim()]),
      );
    const results = (
      await graph.data<{ measure: { normResults: Array<{ norm: { id: string }; met: boolean | null }> } }>(
        'query ($code: ID!, $year: Int!) { measure(code: $code) { normResults(year: $year) { norm { id } met } } }',
        { code, year: YEAR },
      )
    ).measure.normResults;
    expect(normRows).toEqual(results.map((r) => [r.norm.id, verdict(r.met)]));
    const volumeRows = page.locator('table.volumes tbody tr');
    expect(await volumeRows.count()).toBe(current.volumes.length);
    for (const [i, v] of current.volumes.entries()) {
      const tr = volumeRows.nth(i);
      expect(await tr.locator('th').textContent()).toBe(v.label);
      for (const { year, measure } of volumes) {
        const value = measure.volumes.find((w) => w.id === v.id)?.value ?? null;
        expect(await tr.locator(`td[data-year="${year}"]`).textContent(), `${v.id} ${year}`).toBe(
          v.unit === 'SHARE' ? formatShare(value) : formatNumber(value),
        );
      }
    }
    // The trend draws a point per year with a value, and names every year on its axis.
    const first = current.volumes[0]!;
    const withValue = volumes.filter(({ measure }) => measure.volumes.find((w) => w.id === first.id)?.value != null);
    expect(await page.locator('[data-testid="trend-chart"] circle').count()).toBe(withValue.length);
    for (const year of years)
      expect(await page.getByTestId('trend-chart').getAttribute('aria-label')).toContain(String(year));
    await screenshot(page, '2-measure-card');
    await page.close();
  });

  it('drills down from a norm result to its late dossiers with a dossiers:read token, and says what is missing without one', async () => {
    const api = (await graph.data<{ normResultsTable: NormRow[] }>(NORM_TABLE, { year: YEAR })).normResultsTable;
    const row = api.find((r) => (r.late ?? 0) > 0);
    expect(row, 'the demo data has a norm with late items').toBeDefined();
    const code = row!.measure.code;
    const late = await graph.data<{
      measure: {
        normResults: Array<{
          norm: { id: string };
          late: number;
          items: { totalCount: number; nodes: Array<{ dossier: { id: string } }> };
        }>;
      };
    }>(
      `query ($code: ID!, $year: Int!, $first: Int!) { measure(code: $code) { normResults(year: $year) {
        norm { id } late items(onTime: false, first: $first) { totalCount nodes { dossier { id } } } } } }`,
      { code, year: YEAR, first: PAGE_SIZE },
    );
    const result = late.measure.normResults.find((r) => r.norm.id === row!.normId)!;

    const page = await newPage();
    await page.goto(`${appOrigin}/#/norms/${YEAR}`);
    await page.getByTestId('norm-summary').waitFor();
    // Anonymous first: the counts are public, the dossiers are not.
    await page.locator(`tr[data-norm-id="${row!.normId}"] td.num a`).click();
    await page.getByTestId('late-summary').waitFor();
    expect(await page.getByTestId('late-count').textContent()).toBe(formatNumber(result.late));
    const anonymous = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ measure(code: ${JSON.stringify(code)}) { normResults(year: ${YEAR}) { items(onTime: false, first: 1) { totalCount } } } }`,
      }),
    }).then((r) => r.json() as Promise<{ errors: Array<{ extensions: { code: string } }> }>);
    const refusal = anonymous.errors[0]!.extensions.code;
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(refusal);
    expect(await page.locator('table.late').count()).toBe(0);
    await screenshot(page, '3-late-without-token');

    // The token field: the same view now lists the API's late dossiers.
    const token = await graph.token({ scopes: ['dossiers:read', 'persons:read'] });
    await page.getByLabel('Access token').fill(token);
    await page.locator('table.late').waitFor();
    const ids = await page
      .locator('table.late tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-dossier-id')));
    expect(ids).toEqual(result.items.nodes.map((n) => n.dossier.id));
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, '3-late-dossiers');
    await page.close();
  });

  it("renders a person's timeline with a token that has persons:read and dossiers:read, the national number masked", async () => {
    // A person who applied for something, found through the API.
    const measures = await graph.data<{
      measures: Array<{ dossiers: { nodes: Array<{ applicant: { __typename: string; id?: string } }> } | null }>;
    }>('{ measures { dossiers(first: 20) { nodes { applicant { __typename ... on Person { id } } } } } }');
    const personId = measures.measures
      .flatMap((m) => m.dossiers?.nodes ?? [])
      .map((n) => n.applicant)
      .find((a) => a.__typename === 'Person')?.id;
    expect(personId, 'the demo data has a person who applied').toBeDefined();
    const api = await graph.data<{
      person: {
        givenName: string | null;
        familyName: string | null;
        timeline: Array<{ reference: string; type: string; summary: string }>;
      };
    }>('query ($id: ID!) { person(id: $id) { givenName familyName timeline { reference type summary } } }', {
      id: personId,
    });
    expect(api.person.timeline.length).toBeGreaterThan(0);

    const page = await newPage();
    await page.goto(`${appOrigin}/#/persons/`);
    const token = await graph.token({ scopes: ['dossiers:read', 'persons:read'] });
    await page.getByLabel('Access token').fill(token);
    await page.getByLabel('Person id').fill(personId!);
    await page.getByRole('button', { name: 'Show timeline' }).click();
    await page.locator('table.timeline').waitFor();
    const shown = await page
      .locator('table.timeline tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim())));
    expect(shown.map((cells) => [cells[4], cells[2], cells[5]])).toEqual(
      api.person.timeline.map((e) => [e.reference, e.type, e.summary]),
    );
    expect(await page.getByTestId('person-name').textContent()).toBe(
      [api.person.givenName, api.person.familyName].filter(Boolean).join(' '),
    );
    // Without person:identify the number is masked, whatever the purpose field says.
    expect(await page.getByTestId('national-number').textContent()).toBe('**.**.**-***.**');
    await screenshot(page, '4-person-timeline');
    await page.close();
  });
});
