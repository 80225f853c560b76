// Runs every bench/*.bench.ts (or the ones named), each printing its ratios against a bare
// baseline measured in the same run. Results are also written to bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync, readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
mkdirSync('bench/results', { recursive: true });
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  // A bench that says `// bench: bundle` runs as an esbuild bundle, like the shipped CLI:
  // tsx's per-function name wrappers would otherwise be part of what it measures.
  let args = ['--expose-gc', '--import', 'tsx', `bench/${file}`];
  if (readFileSync(`bench/${file}`, 'utf8').startsWith('// bench: bundle')) {
    const out = `out/bench/${file.replace(/\.ts$/, '.cjs')}`;
    buildSync({
      entryPoints: [`bench/${file}`],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: out,
      logLevel: 'error',
      external: ['onnxruntime-node'],
    });
    args = ['--expose-gc', out];
  }
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
