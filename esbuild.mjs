// Bundles: the extension host (CJS, `vscode` and `onnxruntime-node` external), the CLI,
// the inference worker, and the webview (browser IIFE).
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const nodeExternal = [
  'vscode',
  'onnxruntime-node',
  'fluent-ffmpeg',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
  'ws',
  'bufferutil',
  'utf-8-validate',
];

/** @type {import('esbuild').BuildOptions} */
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

/** @type {import('esbuild').BuildOptions[]} */
const allTargets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The export's worker threads (src/io/exportPool.ts) load it from beside cli.js.
    ...common,
    entryPoints: ['src/cli/exportWorker.ts'],
    outfile: 'dist/exportWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['src/inference/worker.ts'],
    outfile: 'dist/worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
  },
  {
    // Minified in every build (the source map still names the sources): the page parses and
    // runs this bundle before its first sample shows, and 760 kB of plain code took ~100 ms.
    ...common,
    minify: true,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  { ...common, entryPoints: ['webview/style.css'], outfile: 'dist/webview.css' },
];
// A checkout without the worker or the webview (a partial clone) still builds the rest.
const targets = allTargets.filter(
  (t) => Array.isArray(t.entryPoints) && existsSync(String(t.entryPoints[0])),
);

if (watch) {
  for (const target of targets) await (await esbuild.context(target)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  // The stats report and dashboard inline Chart.js from beside the bundle (src/io/chartLibrary.ts),
  // so a packaged extension, which ships dist/ but not this package, still draws its plots.
  const chartJs = 'node_modules/chart.js/dist/chart.umd.min.js';
  if (existsSync(chartJs)) copyFileSync(chartJs, 'dist/chart.umd.min.js');
}
