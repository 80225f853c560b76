/**
 * Golden tests of `groundwork stats --json` (issue 12 item 6) on crafted datasets whose
 * figures are computed by hand in statsFixture.ts: outcomes and IoU per model and kind,
 * point displacement, time per person, throughput per day, rejection rate, agreement.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../../helpers/cli';
import { writeAgreementPair, writeGoldenDataset } from './statsFixture';

interface Dist {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}
interface Row {
  source: string;
  kind: string;
  proposals: number;
  accepted: number;
  edited: number;
  notGroundable: number;
  open: number;
  acceptanceRate: number | null;
  iou: Dist & { bins: { from: number; to: number; count: number }[] };
  displacementPx: Dist;
  displacementNorm: Dist;
}
interface StatsJson {
  proposals: Row[];
  drawnWithoutProposal: number;
  timePerEntityMs: Dist & { timed: number };
  people: {
    timePerEntity: { person: string; entities: number; totalMs: number; timeMs: Dist }[];
    throughput: { person: string; day: string; entities: number; samples: number }[];
    reviews: { reviewer: string; reviewed: number; rejected: number; rejectionRate: number }[];
  };
  agreement?: Record<string, unknown> & { iou: Dist; perEntity: Record<string, unknown>[] };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gw-stats-'));
}

async function statsJson(args: string[]): Promise<StatsJson> {
  const r = await cli(['stats', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StatsJson;
}

function rowOf(s: StatsJson, source: string, kind = 'all'): Row {
  const row = s.proposals.find((r) => r.source === source && r.kind === kind);
  assert.ok(row, `no row for ${source} ${kind}`);
  return row;
}

test('stats --json: proposal outcomes, IoU and displacement per model and kind', async () => {
  const s = await statsJson([writeGoldenDataset(tmp())]);
  assert.deepEqual(
    s.proposals.map((r) => `${r.source}/${r.kind}`),
    [
      'import/all',
      'import/object',
      'model:owlv2/all',
      'model:owlv2/object',
      'model:sam/all',
      'model:sam/area',
    ],
  );
  const owl = rowOf(s, 'model:owlv2');
  assert.deepEqual(
    [owl.proposals, owl.accepted, owl.edited, owl.notGroundable, owl.open, owl.acceptanceRate],
    [5, 2, 1, 1, 1, 0.5],
  );
  // IoU 1 (cup), 0.5 (table), 1 (box): mean 2.5 / 3, median 1; bins 0.5-0.6 once, 0.9-1 twice.
  assert.deepEqual([owl.iou.count, owl.iou.mean, owl.iou.median], [3, 0.8333, 1]);
  assert.deepEqual(
    owl.iou.bins.map((b) => b.count),
    [0, 0, 0, 0, 0, 1, 0, 0, 0, 2],
  );
  assert.deepEqual(rowOf(s, 'model:owlv2', 'object').iou.count, 3);
  const imported = rowOf(s, 'import');
  assert.deepEqual([imported.edited, imported.acceptanceRate, imported.iou.median], [1, 0, 0.25]);
  const sam = rowOf(s, 'model:sam', 'area');
  assert.equal(sam.iou.count, 0);
  assert.deepEqual([sam.displacementPx.count, sam.displacementPx.median], [1, 5]);
  assert.equal(sam.displacementNorm.median, 4.272);
  assert.equal(s.drawnWithoutProposal, 1);
});

test('stats --json: time per person, throughput per UTC day, rejection rate', async () => {
  const s = await statsJson([writeGoldenDataset(tmp())]);
  // All seven timings: 1,2,3,4,5,7,9 s: median 4 s, p90 at rank 5.4 = 7 + 0.4 * 2 = 7.8 s.
  assert.deepEqual(
    [s.timePerEntityMs.timed, s.timePerEntityMs.median, s.timePerEntityMs.p90],
    [7, 4000, 7800],
  );
  const times = Object.fromEntries(
    s.people.timePerEntity.map((p) => [
      p.person,
      [p.entities, p.timeMs.median, p.timeMs.p90, p.totalMs],
    ]),
  );
  // alice 1 s, 3 s: median 2 s, p90 1 + 0.9 * 2 = 2.8 s. bob 2,4,5,7 s: median 4.5 s,
  // p90 at rank 2.7 = 5 + 0.7 * 2 = 6.4 s. The old file's entity: unknown.
  assert.deepEqual(times, {
    alice: [2, 2000, 2800, 4000],
    bob: [4, 4500, 6400, 18000],
    unknown: [1, 9000, 9000, 9000],
  });
  assert.deepEqual(s.people.throughput, [
    { person: 'alice', day: '2026-11-30', entities: 2, samples: 1 },
    { person: 'bob', day: '2026-12-01', entities: 4, samples: 2 },
  ]);
  const reviews = Object.fromEntries(
    s.people.reviews.map((r) => [r.reviewer, [r.reviewed, r.rejected, r.rejectionRate]]),
  );
  // s1 approved by rev; s2 rejected by rev, then by carol; s3 approved, reviewer unknown.
  assert.deepEqual(reviews, {
    all: [4, 2, 0.5],
    carol: [1, 1, 1],
    rev: [2, 1, 0.5],
    unknown: [1, 0, 0],
  });
});

test('stats a b --agreement: IoU per shared entity, and what could not be compared', async () => {
  const { a, b } = writeAgreementPair(tmp());
  const s = await statsJson([a, b, '--agreement']);
  const ag = s.agreement;
  assert.ok(ag);
  assert.equal(ag.with, b);
  assert.deepEqual(
    [ag.samples, ag.entities, ag.compared, ag.bothNotGroundable, ag.groundableDiffers],
    [2, 7, 2, 1, 1],
  );
  assert.deepEqual([ag.frameDiffers, ag.notBoxes, ag.undecided], [1, 1, 1]);
  assert.deepEqual([ag.iou.mean, ag.iou.median], [0.75, 0.75]);
  assert.deepEqual(ag.perEntity, [
    { id: 'x1', entity: 0, text: 'cup', iou: 0.5, byA: 'alice', byB: 'bob' },
    { id: 'x1', entity: 1, text: 'plate', iou: 1, byA: 'alice', byB: 'bob' },
  ]);
  const text = await cli(['stats', a, b, '--agreement']);
  assert.match(text.stdout, /agreement with .*bob\.jsonl: 2 shared samples, 7 shared entities/);
  assert.match(text.stdout, /2 boxes compared: IoU mean 0\.75, median 0\.75/);
});

test('stats: a second dataset without --agreement, or --agreement with one, is a usage error', async () => {
  const { a, b } = writeAgreementPair(tmp());
  const two = await cli(['stats', a, b]);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /a second dataset is only taken with --agreement/);
  const one = await cli(['stats', a, '--agreement']);
  assert.equal(one.code, 2);
  assert.match(one.stderr, /--agreement needs two datasets/);
});
