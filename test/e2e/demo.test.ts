/**
 * The demo that `npm start` opens where ../shared is absent: a video rendered with ffmpeg and
 * a dataset whose inline proposal sits exactly on the shape it names, valid for the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './harness';

interface DemoModule {
  makeDemo(o: { out?: string; generated?: boolean; fresh?: boolean }): {
    folder: string;
    dataset: string;
    source: string;
  };
}

const noFfmpeg =
  spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0
    ? 'ffmpeg not on PATH'
    : undefined;

test(
  'the generated demo: a rendered video, bracketed entities, a proposal on the yellow sign',
  { skip: noFfmpeg },
  async () => {
    const { makeDemo } = (await import(
      pathToFileURL(join(ROOT, 'scripts', 'demo', 'makeDemo.mjs')).href
    )) as DemoModule;
    const out = mkdtempSync(join(tmpdir(), 'gw-demo-'));
    try {
      const demo = makeDemo({ out, generated: true, fresh: true });
      assert.equal(demo.source, 'generated');
      assert.ok(existsSync(join(out, 'videos', 'shapes.mp4')));
      const lines = readFileSync(demo.dataset, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { reasoning: string; video: string; fps: number });
      assert.ok(lines.length >= 1);
      const first = lines[0]!;
      assert.ok(
        (first.reasoning.match(/\[[^\]]+\]/g) ?? []).length >= 4,
        'several bracketed entities',
      );
      const m =
        /\[yellow sign\] <object> <frame (\d+)>: \((\d+), (\d+)\), \((\d+), (\d+)\) <\/object>/.exec(
          first.reasoning,
        );
      assert.ok(m, `one inline proposal: ${first.reasoning}`);
      const [frame, x1, y1, x2, y2] = m.slice(1).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];

      // Decode that sampled frame (first frame at or after n / fps) and look inside and outside the box.
      const W = 640;
      const H = 360;
      const r = spawnSync(
        'ffmpeg',
        [
          '-v',
          'error',
          '-ss',
          String(frame / first.fps),
          '-i',
          join(out, 'videos', 'shapes.mp4'),
          '-frames:v',
          '1',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          '-',
        ],
        { maxBuffer: 16 << 20 },
      );
      assert.equal(r.status, 0, String(r.stderr));
      const px = (x: number, y: number): number[] => [
        ...r.stdout.subarray((y * W + x) * 3, (y * W + x) * 3 + 3),
      ];
      const toPx = (v: number, size: number): number => Math.round((v / 1000) * size);
      const [ax, ay, bx, by] = [toPx(x1, W), toPx(y1, H), toPx(x2, W), toPx(y2, H)];
      const yellow = (c: number[]): boolean => c[0]! > 200 && c[1]! > 160 && c[2]! < 120;
      for (const [x, y] of [
        [ax + 3, ay + 3],
        [bx - 4, by - 4],
        [(ax + bx) >> 1, (ay + by) >> 1],
      ] as const) {
        assert.ok(yellow(px(x, y)), `inside the proposal at ${x},${y}: ${px(x, y).join(',')}`);
      }
      for (const [x, y] of [
        [ax - 4, ay + 5],
        [bx + 4, by - 5],
        [ax + 5, ay - 4],
        [ax + 5, by + 4],
      ] as const) {
        assert.ok(!yellow(px(x, y)), `outside the proposal at ${x},${y}: ${px(x, y).join(',')}`);
      }

      const cli = join(ROOT, 'dist', 'cli.js');
      if (existsSync(cli)) {
        const v = spawnSync(process.execPath, [cli, 'validate', demo.dataset], {
          encoding: 'utf8',
        });
        assert.equal(v.status, 0, `groundwork validate: ${v.stdout}${v.stderr}`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
);
