import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { copyFileChecked } from '../../io/fileCopy';
import { checkOutputDir } from '../../io/outputPath';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { DEFAULT_FPS } from '../../core/model';
import type { SampleFields } from '../../core/model';
import { defaultMediaRoots } from '../../io/mediaFacts';
import { VideoFrameProvider } from '../../video/videoFrameProvider';
import { numberOption, stringOption } from '../args';
import type { CliCommand, CliIo } from '../command';
import { CliError, EXIT } from '../command';
import { loadDatasetArg } from '../datasetArg';
import { ProgressBar } from '../progress';

const usage = `groundwork frames <dataset.jsonl | video> [--fps 2] [--out dir] [--quality 3] [--media-root dir[,dir]] [--json]

Extracts the sampled frames of a video, or of every video sample of a dataset, into the
frame cache (one ffmpeg pass per video, exact by the frame index rule). With --out, also
writes frame n of each sample as <out>/<sample id>/<n>.jpg (<out>/<n>.jpg for one video).
--fps applies to a video argument, and to samples that do not set "fps".
--quality is ffmpeg's JPEG -q:v, 2 (best) to 31.`;

/** What happened to one sample (or the one video). */
interface FramesResult {
  readonly where: string;
  readonly id: string;
  readonly ok: boolean;
  readonly frames?: number;
  readonly out?: string;
  readonly error?: string;
  /** A truncated video: what its container declares against what decodes. */
  readonly warning?: string;
}

/** Writes a cached JPEG to the output folder: a hard link when it can, else a checked copy. */
async function place(from: string, to: string): Promise<void> {
  const st = await lstat(to).catch(() => undefined);
  if (st && !st.isFile()) throw new CliError(`refusing to replace ${to}: it is not a regular file`);
  // Linked or copied under a temp name, then renamed: the old JPEG stays until the new is whole.
  const tmp = join(
    dirname(to),
    `.${basename(to)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
  );
  try {
    await link(from, tmp);
    await rename(tmp, to);
  } catch {
    await rm(tmp, { force: true });
    await copyFileChecked(from, to);
  }
}

async function truncationWarning(
  provider: VideoFrameProvider,
  sample: SampleFields,
  dir: string,
): Promise<{ warning?: string }> {
  const cut = await provider.truncation(sample, dir).catch(() => undefined);
  return cut ? { warning: cut.message } : {};
}

async function exportFrames(
  provider: VideoFrameProvider,
  sample: SampleFields,
  dir: string,
  out: string | undefined,
  bar: ProgressBar,
): Promise<{ frames: number; out?: string }> {
  let last = 0;
  const list = await provider.extractAll(sample, dir, {
    onFrame: (done) => {
      bar.tick(done - last);
      last = done;
    },
  });
  if (!out) return { frames: list.length };
  await mkdir(out, { recursive: true });
  for (const f of list) await place(f.path, join(out, `${String(f.index).padStart(5, '0')}.jpg`));
  return { frames: list.length, out };
}

/** A folder name for a sample id that cannot climb out of --out. */
function safeName(id: string): string {
  const s = id.replace(/[\\/:*?"<>|\0]/g, '_').replace(/^\.+$/, '_');
  return s || '_';
}

async function runOnVideo(
  path: string,
  fps: number,
  out: string | undefined,
  provider: VideoFrameProvider,
  io: CliIo,
): Promise<FramesResult[]> {
  const sample: SampleFields = { id: basename(path), video: basename(path), fps, reasoning: '' };
  const total = (await provider.frameList(sample, dirname(path))).length;
  const bar = new ProgressBar(io.stderr, 'frames', total);
  const r = await exportFrames(provider, sample, dirname(path), out, bar);
  bar.finish();
  return [
    {
      where: path,
      id: sample.id,
      ok: true,
      frames: r.frames,
      ...(r.out ? { out: r.out } : {}),
      ...(await truncationWarning(provider, sample, dirname(path))),
    },
  ];
}

async function runOnDataset(
  args: Parameters<CliCommand['run']>[0],
  io: CliIo,
  fps: number,
  out: string | undefined,
  quality: number,
): Promise<FramesResult[]> {
  const ds = await loadDatasetArg(args, io.cwd, usage);
  const roots = defaultMediaRoots(
    ds.path,
    (stringOption(args, 'media-root') ?? '').split(',').filter(Boolean),
  );
  const provider = new VideoFrameProvider({ quality, mediaRoots: roots });
  const dir = dirname(ds.path);
  const results: FramesResult[] = ds.problems.map((p) => ({
    where: `${ds.path}:${p.line + 1}`,
    id: '',
    ok: false,
    error: p.message,
  }));
  const videos = ds.samples.filter((s) => s.fields.video !== undefined);
  // Frame counts first (probe only), so the bar's total is the real number of frames.
  const counts = new Map<number, number>();
  for (const s of videos) {
    try {
      counts.set(
        s.line,
        (await provider.frameList({ ...s.fields, fps: s.fields.fps ?? fps }, dir)).length,
      );
    } catch (e) {
      results.push({
        where: `${ds.path}:${s.line + 1}`,
        id: s.fields.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  const bar = new ProgressBar(
    io.stderr,
    'frames',
    [...counts.values()].reduce((a, b) => a + b, 0),
  );
  for (const s of videos) {
    if (!counts.has(s.line)) continue;
    const where = `${ds.path}:${s.line + 1}`;
    try {
      const sample = { ...s.fields, fps: s.fields.fps ?? fps };
      const r = await exportFrames(
        provider,
        sample,
        dir,
        out ? join(out, safeName(s.fields.id)) : undefined,
        bar,
      );
      results.push({
        where,
        id: s.fields.id,
        ok: true,
        frames: r.frames,
        ...(r.out ? { out: r.out } : {}),
        ...(await truncationWarning(provider, sample, dir)),
      });
    } catch (e) {
      results.push({
        where,
        id: s.fields.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  bar.finish();
  return results.sort((a, b) => a.where.localeCompare(b.where, undefined, { numeric: true }));
}

/** `groundwork frames`: fills the frame cache (and optionally a folder) with sampled frames. */
export const framesCommand: CliCommand = {
  name: 'frames',
  summary: "extract the sampled frames of a video or of a dataset's videos",
  usage,
  valueOptions: ['fps', 'out', 'quality', 'media-root'],
  booleanOptions: ['json'],
  async run(args, io) {
    const target = args.positionals[0];
    if (!target) throw new CliError(`missing dataset or video argument\n${usage}`, EXIT.error);
    const fps = numberOption(args, 'fps', DEFAULT_FPS);
    if (fps <= 0) throw new CliError(`--fps must be positive, got ${fps}`, EXIT.error);
    const quality = numberOption(args, 'quality', 3);
    const outArg = stringOption(args, 'out');
    const out = outArg ? resolve(io.cwd, outArg) : undefined;
    if (out) await checkOutputDir(out, '--out');
    const path = resolve(io.cwd, target);
    const isDataset = extname(path).toLowerCase() === '.jsonl';
    const results = isDataset
      ? await runOnDataset(args, io, fps, out, quality)
      : await runOnVideo(path, fps, out, new VideoFrameProvider({ quality }), io);
    const failed = results.filter((r) => !r.ok).length;
    if (args.options.json)
      io.stdout.write(JSON.stringify({ ok: failed === 0, results }, null, 2) + '\n');
    else {
      for (const r of results) {
        if (r.ok)
          io.stdout.write(
            `${r.id}: ${r.frames} frames${r.out ? ` -> ${relative(io.cwd, r.out) || '.'}` : ''}\n`,
          );
        if (r.warning) io.stderr.write(`warning: ${r.id}: ${r.warning}\n`);
        else if (!r.ok)
          io.stderr.write(`${r.where}${r.id ? `: sample "${r.id}"` : ''}: ${r.error}\n`);
      }
      if (isDataset)
        io.stdout.write(
          `${results.length - failed} of ${results.length} samples done${failed ? `, ${failed} failed` : ''}\n`,
        );
    }
    return failed ? EXIT.invalid : EXIT.ok;
  },
};
