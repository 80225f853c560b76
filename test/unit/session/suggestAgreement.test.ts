/**
 * One suggestion pipeline: for every entity of the shared dataset's samples on
 * bedroom.mp4, the editor's suggestion (the session's `S`, entity by entity) and
 * `groundwork prelabel`'s proposal agree on kind, frame and box, with the real YOLOX-nano.
 * They once did not (the editor proposed frame 0, prelabel frame 12).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { splitLines } from '../../../src/core/dataset';
import type { EntityState, Grounding } from '../../../src/core/model';
import { isProblem, readSample } from '../../../src/core/sample';
import type { SampleView } from '../../../src/core/sample';
import { EditorSession } from '../../../src/session/editorSession';
import { suggestEntity } from '../../../src/session/modelProposals';
import { SuggestionService } from '../../../src/session/suggestionService';
import { createVideoFrames } from '../../../src/session/videoFramesAdapter';
import { fakeMedia } from './sessionHelpers';

const SHARED = resolve(__dirname, '..', '..', '..', '..', 'shared');
const ASSETS = join(SHARED, 'assets');
const skip = [
  join(SHARED, 'models', 'yolox_nano_416.onnx'),
  join(ASSETS, 'datasets', 'sample.cop.jsonl'),
  join(ASSETS, 'videos', 'bedroom.mp4'),
].find((p) => !existsSync(p));
if (skip) console.log(`# skipped editor/prelabel agreement: ${skip} is absent`);

let dir = '';
before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'gw-agree-'));
  for (const d of ['datasets', 'videos']) {
    mkdirSync(join(dir, d));
    cpSync(join(ASSETS, d), join(dir, d), { recursive: true });
  }
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function io(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [],
    err: string[] = [];
  return {
    out,
    err,
    cwd,
    stdin: (async function* () {
      /* no input */
    })(),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
}

function bedroomSamples(text: string): SampleView[] {
  return splitLines(text)
    .lines.map((l, i) => readSample(l.raw, i))
    .filter(
      (s): s is SampleView => !isProblem(s) && (s.fields.video ?? '').endsWith('bedroom.mp4'),
    );
}

/** Kind, frame and box rounded to a tenth of a pixel (thread counts may move the last bits). */
function outline(g: Grounding | undefined): string {
  if (!g) return 'none';
  return `${g.tag} frame ${g.frame} ${g.points.map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' ')}`;
}

test(
  'the editor and prelabel propose the same kind, frame and box for each bedroom entity',
  { skip, timeout: 300_000 },
  async () => {
    const path = join(dir, 'datasets', 'sample.cop.jsonl');
    const input = readFileSync(path, 'utf8');
    const samples = bedroomSamples(input);
    assert.ok(samples.length >= 1, 'the shared dataset has a sample on bedroom.mp4');

    const c = io(dir);
    const code = await runCli(
      [
        'prelabel',
        path,
        '-o',
        join(dir, 'pre.jsonl'),
        '--device',
        'cpu',
        '--json',
        '--media-root',
        dir,
      ],
      c,
    );
    assert.ok(code === 0 || code === 1, `prelabel ran: ${c.err.join('')}`);
    const report = JSON.parse(c.out.join('')) as {
      unproposed: { sample: string; entity: string; reason: string }[];
    };
    const prelabelled = bedroomSamples(readFileSync(join(dir, 'pre.jsonl'), 'utf8'));

    const { provider } = createVideoFrames({ mediaRoots: [dir], cacheDir: join(dir, '.cache') });
    const svc = new SuggestionService({
      enabled: true,
      datasetPath: () => path,
      ...(provider ? { frames: provider } : {}),
      log: () => undefined,
      client: { device: 'cpu', threads: 1 },
    });
    const session = new EditorSession({
      path,
      doc: splitLines(input),
      mode: 'serve',
      media: fakeMedia,
      log: () => undefined,
      suggestions: svc,
    });
    let compared = 0,
      boxes = 0;
    try {
      for (const s of samples) {
        const pre = prelabelled.find((p) => p.fields.id === s.fields.id);
        assert.ok(pre, `prelabel kept sample ${s.fields.id}`);
        for (let i = 0; i < s.state.entities.length; i++) {
          const text = s.state.entities[i]!.text;
          const editor = await suggestEntity(session, s.line, i);
          const shown = session.overlays.apply(s.fields.id, s.state).state.entities[i];
          const prelabel: EntityState | undefined = pre.state.entities[i];
          const where = `${s.fields.id} entity ${i} "${text}"`;
          if (prelabel?.proposal?.source === 'model:yolox-nano') {
            assert.equal(editor.applied, true, `${where}: the editor proposes too`);
            assert.equal(editor.kind, prelabel.kind, `${where}: kind`);
            assert.equal(editor.frame, prelabel.proposal.frame, `${where}: frame`);
            assert.equal(outline(shown?.proposal), outline(prelabel.proposal), `${where}: box`);
            boxes++;
          } else {
            assert.equal(editor.applied, false, `${where}: neither proposes`);
            const why = report.unproposed.find(
              (u) => u.sample === s.fields.id && u.entity === text,
            );
            if (why) assert.equal(editor.reason, why.reason, `${where}: the same message`);
          }
          compared++;
        }
      }
    } finally {
      await session.dispose();
    }
    console.log(`# ${compared} entities compared, ${boxes} with a box from both`);
    assert.ok(boxes >= 2, 'the children get boxes from both paths');
  },
);
