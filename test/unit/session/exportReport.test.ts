/**
 * The editor's Export with choices (issue 12 item 8), its pure half: the default destination
 * per format, and a report line for every sample not written with its reason, checked
 * against a real export run over frames from ../shared/assets.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { frameProvider } from '../../../src/cli/media';
import { runExport } from '../../../src/io/exportRunner';
import { defaultExportPath, skippedReport } from '../../../src/session/exportReport';

const ASSETS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'assets');
const FRAME = join(ASSETS, 'frames', 'rb_object_location', '00000.jpg');
const skip = existsSync(FRAME) ? undefined : `no shared frames at ${FRAME}`;
if (skip) console.log(`# skipped the export report run: ${skip}`);

test('the default destination is beside the dataset, named by the format', () => {
  assert.equal(
    defaultExportPath('/data/kids.cop.jsonl', 'rynnbrain-sft'),
    join('/data', 'kids.rynnbrain-sft.jsonl'),
  );
  assert.equal(defaultExportPath('/data/raw.JSONL', 'flat'), join('/data', 'raw.flat.jsonl'));
});

test('every skipped sample is reported with its line, id and reasons', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-export-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const grounding = {
    tag: 'object',
    frame: 0,
    points: [
      [10, 10],
      [200, 200],
    ],
    size: [1920, 1080],
    source: 'human',
  };
  const ok = { status: 'approved', entities: [{ text: 'cup', status: 'accepted', grounding }] };
  const line = (id: string, state?: object): string =>
    JSON.stringify({
      id,
      frames: [FRAME],
      reasoning: 'the [cup] is here',
      ...(state ? { groundwork: state } : {}),
    });
  const dataset = join(dir, 'ds.cop.jsonl');
  const text = [line('good', ok), line('draft'), line('done', ok)].join('\n') + '\n';
  writeFileSync(dataset, text);
  const output = defaultExportPath(dataset, 'flat');
  const r = await runExport({
    dataset,
    output,
    format: 'flat',
    frames: frameProvider([ASSETS, dir]),
    allowPartial: true,
  });
  assert.equal(r.written, 2);
  const report = skippedReport(r);
  assert.equal(report.length, 1);
  assert.match(report[0] ?? '', /^line 2 \(draft\) skipped: .+/);
  const reasons = r.skipped[0]!.reasons;
  assert.ok(reasons.length >= 1);
  for (const reason of reasons) {
    assert.match(reason, /^line 2, sample "draft"/, 'the runner names line and sample');
    assert.ok(report[0]!.includes(reason.replace(/^line 2, sample "draft"(, |: )/, '')));
  }
  assert.equal(report[0]!.match(/line 2/g)?.length, 1, `said once: ${report[0]}`);
  assert.equal(readFileSync(dataset, 'utf8'), text, 'the dataset is untouched');
});
