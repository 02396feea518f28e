/**
 * `npm run data:generate -- --profile full|small --out DIR`: writes the generated demo data as a
 * dataset of the import format (docs/data-format.md), for `npm run data:import -- DIR`.
 * Exit codes: 0 written, 2 bad arguments or a folder it cannot write.
 */
import { writeDemoDataset } from './dataset.ts';

const USAGE = `Usage: npm run data:generate -- --profile full|small --out DIR

Writes the generated demo data, one file per aggregate of the import format (measures.jsonl,
organisations.jsonl, persons.jsonl, dossiers.jsonl, ...; see docs/data-format.md), into DIR.
full: the report's volumes; small: each population capped at 400.`;

function option(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice(name.length + 1) : argv[i + 1];
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const profile = option(argv, '--profile');
  const out = option(argv, '--out');
  if ((profile !== 'full' && profile !== 'small') || !out) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const { counts } = await writeDemoDataset(out, profile);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // Every aggregate written, with its rows.
  const files = Object.entries(counts).map(([name, rows]) => `  ${name}: ${rows}`);
  process.stdout.write(`Wrote the ${profile} profile to ${out} in ${seconds} s:\n${files.join('\n')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
