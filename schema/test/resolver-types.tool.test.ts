import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, targets } from '../src/codegen.ts';

// `npm run typecheck` must fail when a resolver no longer fits its SDL. tsc runs as a real
// subprocess on fixtures outside the normal typecheck (subgraphs/competences/test/fixtures/
// resolver-types): a resolver with the wrong return type, and an unchanged resolver against types
// generated from an SDL in which its field was renamed (with the unchanged SDL as the control).

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = path.join(repoRoot, 'subgraphs/competences/test/fixtures/resolver-types');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const tmp = fs.mkdtempSync(path.join(fixtures, '.tmp-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function typecheck(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', project], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

/** A project of renamed-field.ts beside resolver types generated from the competences SDL after `edit`. */
async function renamedFieldProject(name: string, edit: (sdl: string) => string): Promise<string> {
  const dir = path.join(tmp, name);
  const competences = targets().find((t) => t.output.startsWith('subgraphs/competences/'))!;
  const output = path.join(dir, 'generated/resolvers.ts');
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, await generate({ ...competences, sdl: edit(competences.sdl) }, output));
  fs.copyFileSync(path.join(fixtures, 'renamed-field.ts'), path.join(dir, 'renamed-field.ts'));
  const base = path.relative(dir, path.join(repoRoot, 'tsconfig.base.json')).split(path.sep).join('/');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: base, include: ['*.ts'] }));
  return dir;
}

const renameProvider = (sdl: string) => {
  const renamed = sdl.replace(/(\ntype Course \{[^}]*?\n {2})provider:/, '$1providerOrganisation:');
  expect(renamed).not.toBe(sdl);
  return renamed;
};

describe('resolver types generated from the SDL', { timeout: 300_000 }, () => {
  it('tsc fails on a resolver whose return type no longer fits its field', async () => {
    const { code, output } = await typecheck(fixtures);
    expect(code).not.toBe(0);
    const errors = output.split('\n').filter((l) => l.includes('error TS'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /\/resolver-types\/wrong-return\.ts\(7,5\): error TS2322: .*Resolver<ResolverTypeWrapper<number>, CourseRecord/,
    );
    expect(output).toMatch(
      /Type 'string' is not assignable to type 'ResolverTypeWrapper<number> \| Promise<ResolverTypeWrapper<number>>'/,
    );
  });

  it('tsc fails on a resolver whose field was renamed in the SDL, and passes against the SDL as it is', async () => {
    const [renamed, control] = await Promise.all([
      renamedFieldProject('renamed', renameProvider).then(typecheck),
      renamedFieldProject('control', (sdl) => sdl).then(typecheck),
    ]);
    expect(control).toEqual({ code: 0, output: '' });
    expect(renamed.code).not.toBe(0);
    const errors = renamed.output.split('\n').filter((l) => l.includes('error TS'));
    expect(errors[0]).toMatch(
      /\/renamed\/renamed-field\.ts\(9,5\): error TS2353: Object literal may only specify known properties, and 'provider' does not exist in type 'CourseResolvers</,
    );
    // Beside the unknown key, only its consequence: the resolver's parameter lost its type.
    expect(errors.slice(1)).toEqual([
      expect.stringMatching(
        /\/renamed\/renamed-field\.ts\(9,16\): error TS7006: Parameter 'course' implicitly has an 'any' type/,
      ),
    ]);
  });
});
