// Type-checks every border of the tree, each with its own compiler options (issue 9):
// node-side code without DOM, the webview with DOM and no node types, the page drivers,
// core and protocol with neither, and these scripts as checked JavaScript. Every config
// runs even when an earlier one fails, so one report names all the broken borders.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Each config and the border it guards (the order is the report's). */
const TYPECHECK_CONFIGS = [
  { config: 'tsconfig.json', border: 'node side: src, test, bench (node + vscode, no DOM)' },
  { config: 'webview/tsconfig.json', border: 'webview (DOM, no node)' },
  {
    config: 'test/browser/tsconfig.json',
    border: 'page drivers (node + DOM for page.evaluate bodies)',
  },
  { config: 'src/core/tsconfig.json', border: 'core (neither node nor DOM)' },
  { config: 'src/protocol/tsconfig.json', border: 'protocol (neither node nor DOM)' },
  { config: 'scripts/tsconfig.json', border: 'scripts/*.mjs, esbuild.mjs (checkJs, node)' },
];

let failed = 0;
for (const { config, border } of TYPECHECK_CONFIGS) {
  const run = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status === 0) console.log(`ok - ${config}: ${border}`);
  else {
    failed += 1;
    console.log(`not ok - ${config}: ${border}`);
  }
}
process.exit(failed ? 1 : 0);
