import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The generator and the import tool are tools run beside the graph: no package that serves
// requests may depend on them or import them, so nothing at run time decides from generated data,
// and no subgraph seeds itself with generated data (starting one migrates and serves, nothing else).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOOLS = ['@measure-graph/demo-data', '@measure-graph/data-import'];
const TOOL_DIRS = ['db/generate', 'db/import'];

/** The packages of a folder (its subfolders with a package.json). */
const packagesIn = (folder: string): string[] =>
  fs
    .readdirSync(path.join(root, folder))
    .map((name) => `${folder}/${name}`)
    .filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')));

/**
 * The runtime packages: the gateway, every subgraph, the kit's packages (errors, auth, platform,
 * measure module), and db without its tool folders.
 */
function runtimePackages(): string[] {
  return ['gateway', 'db', ...packagesIn('subgraphs'), ...packagesIn('subgraphs/kit')];
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const relative = path.relative(root, full);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !TOOL_DIRS.includes(relative)) walk(full);
      } else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(root, dir, 'src'));
  return files;
}

describe('runtime packages never reach the generator or the import tool', () => {
  it('finds the runtime packages', () => {
    expect(runtimePackages()).toEqual(
      expect.arrayContaining([
        'gateway',
        'db',
        'subgraphs/kit/errors',
        'subgraphs/kit/auth',
        'subgraphs/kit/platform',
        'subgraphs/kit/measure-module',
        'subgraphs/registry',
      ]),
    );
  });

  it.each(runtimePackages())('%s: no dependency on a tool package', (dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
    expect(deps.filter((d) => TOOLS.includes(d))).toEqual([]);
  });

  it.each(runtimePackages())('%s: no source file imports a tool package or its folder', (dir) => {
    const offending = sourceFiles(dir).filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
      return specifiers.some(
        (s) =>
          TOOLS.some((tool) => s === tool || s.startsWith(`${tool}/`)) ||
          (s.startsWith('.') &&
            TOOL_DIRS.some((d) => path.resolve(path.dirname(file), s).startsWith(path.join(root, d)))),
      );
    });
    expect(offending.map((f) => path.relative(root, f))).toEqual([]);
  });

  // The generator's own modules: none may live in (or come back to) a runtime package.
  const generatorModules = (() => {
    const names = new Set<string>();
    const walk = (at: string) => {
      for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(at, entry.name));
        else names.add(entry.name);
      }
    };
    walk(path.join(root, 'db/generate/src/demo/dossiers'));
    names.add('prng.ts');
    return names;
  })();
  // What only demo data needs: a runtime package that names it writes or sizes generated data.
  const DEMO_ONLY =
    /\b(seedDemo\w*|demoProfile|SeedProfile|seedProfileFromEnv|seedParties|generateOrganisations|generatePersons|generateDossiers|showcase(Person|Employer)|Prng)\b/;

  it.each(runtimePackages())('%s: no generator module and nothing that writes demo data', (dir) => {
    const files = sourceFiles(dir);
    expect(files.filter((f) => generatorModules.has(path.basename(f))).map((f) => path.relative(root, f))).toEqual([]);
    const named = files.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (DEMO_ONLY.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(named).toEqual([]);
  });
});

// The runtime decides nothing from the report either (issue 13): the catalogue, norms and card rows
// come from the database (measures.jsonl of the import, or the generator's demo seed). Only db
// itself holds the readers of its copy of the report (db/seed-data), for the tools and the tests.
const REPORT = /\b(publishedMeasures|readSeedFile|Published(Measure|Norm|Volume)|seed-data)\b/;

describe('runtime packages never read the published report', () => {
  it.each(runtimePackages().filter((dir) => dir !== 'db'))('%s: no source names the report data', (dir) => {
    const named = sourceFiles(dir).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (REPORT.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(named).toEqual([]);
  });
});
