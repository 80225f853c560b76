/**
 * The charting library's browser build (Chart.js UMD), read from disk so that the stats
 * report and the dashboard inline it: the page then needs no network. The bundles look
 * beside themselves first (esbuild copies the file into dist/), then in node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILE = 'chart.umd.min.js';

let cached: string | undefined;

/** Where the library was looked for, in order: beside the bundle, then node_modules. */
export function chartLibraryCandidates(): string[] {
  const out = [join(__dirname, FILE)];
  try {
    // The package exports only its modules, so the UMD build is found beside the main one.
    out.push(join(dirname(require.resolve('chart.js')), FILE));
  } catch {
    // Not installed (a packaged extension ships only dist/): the copy beside the bundle serves.
  }
  return out;
}

/** The library's JavaScript, safe to put inside a `<script>` element. */
export function chartLibrarySource(): string {
  if (cached !== undefined) return cached;
  const candidates = chartLibraryCandidates();
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `the charting library (Chart.js ${FILE}) was not found; looked in ${candidates.join(', ')}. Run npm install.`,
    );
  // A literal "</script" would end the element early; the escaped form means the same in JS.
  cached = readFileSync(found, 'utf8').replace(/<\/script/gi, '<\\/script');
  return cached;
}
