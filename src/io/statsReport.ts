/**
 * The stats page: one self-contained HTML document (Chart.js and the data inlined, no
 * network) that `groundwork stats --html` writes and the VS Code dashboard shows. With a
 * nonce the page carries a CSP that lets only its own scripts run (a webview's rule).
 */
import type { AgreementStats } from '../core/stats/agreement';
import type { DatasetDoc } from '../core/dataset';
import { readAllSamples } from '../core/sample';
import type { DatasetStats } from '../core/stats/datasetStats';
import { datasetStats } from '../core/stats/datasetStats';
import { chartLibrarySource } from './chartLibrary';
import { STATS_PAGE_SCRIPT } from './statsReportScript';

/** What the page shows: the dataset's statistics, and agreement with a second file. */
export interface StatsReportData {
  /** The dataset's path (or name) shown under the heading. */
  readonly title: string;
  readonly stats: DatasetStats;
  readonly agreement?: AgreementStats;
  /** How the two files of `agreement` are named (`a.jsonl and b.jsonl`). */
  readonly agreementWith?: string;
}

/** How the page is hosted: a webview passes a nonce (CSP); the CLI report passes none. */
export interface StatsPageOptions {
  readonly nonce?: string;
}

const STYLE = `
  body { font: 13px/1.4 system-ui, sans-serif; margin: 0; padding: 16px 24px;
    color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #fff); }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 4px; }
  .file { opacity: .75; margin: 0; word-break: break-all; } .note, .empty { opacity: .75; margin: 0 0 8px; }
  section { margin: 20px 0; padding-top: 8px; border-top: 1px solid rgba(128,128,128,.3); }
  .chart { position: relative; height: 260px; max-width: 900px; }
  table { border-collapse: collapse; margin-top: 8px; font-variant-numeric: tabular-nums; }
  th, td { padding: 2px 8px; border-bottom: 1px solid rgba(128,128,128,.25); text-align: right; }
  th:first-child, td:first-child { text-align: left; }
`;

/** JSON that cannot end a `<script>` element or open a comment inside one. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole page as a string. */
export function renderStatsHtml(data: StatsReportData, opts: StatsPageOptions = {}): string {
  const nonce = opts.nonce ? ` nonce="${opts.nonce}"` : '';
  const csp = opts.nonce
    ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${opts.nonce}';">\n`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${csp}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Groundwork statistics: ${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main id="gw-root"></main>
<script type="application/json" id="gw-stats">${scriptSafeJson(data)}</script>
<script${nonce}>${chartLibrarySource()}</script>
<script${nonce}>${STATS_PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The page data of a document as it is now (the dashboard's view of an open dataset). */
export function statsPageData(title: string, doc: DatasetDoc): StatsReportData {
  return { title, stats: datasetStats(readAllSamples(doc.lines).samples) };
}
