/** `groundwork doctor`'s view of the video layer: which ffmpeg and ffprobe run, and from where. */
import { codecSupport } from './fluent';
import type { CodecSupport } from './fluent';
import { resolveBinary } from './ffmpegBinaries';
import type { BinarySettings, BinarySource, ToolName } from './ffmpegBinaries';
import { runToEnd } from './processRunner';

/** One tool as doctor reports it. */
export interface ToolReport {
  readonly path: string;
  readonly source: BinarySource;
  /** The version word of `-version`'s first line, e.g. `5.1.9-0+deb12u1`. */
  readonly version: string;
}

/** The whole report; `problems` is empty when the video layer can work. */
export interface VideoDoctorReport {
  readonly ffmpeg: ToolReport;
  readonly ffprobe: ToolReport;
  readonly codecs?: CodecSupport;
  readonly problems: readonly string[];
}

/** Runs `<tool> -version` and returns the version word. */
export async function toolVersion(path: string): Promise<string> {
  const r = await runToEnd(path, ['-version'], { what: `${path} -version`, timeoutMs: 15_000 });
  const first = r.stdout.toString('utf8').split('\n')[0] ?? '';
  const m = /version\s+(\S+)/.exec(first);
  if (r.code !== 0 || !m?.[1]) throw new Error(`${path} -version failed (exit ${String(r.code)})`);
  return m[1];
}

async function report(name: ToolName, settings: BinarySettings): Promise<ToolReport> {
  const b = resolveBinary(name, settings);
  return { path: b.path, source: b.source, version: await toolVersion(b.path) };
}

/**
 * Resolves both tools (setting, PATH, npm), reads their versions and checks the codecs the
 * video layer needs. Throws a VideoError when a tool cannot be found at all.
 */
export async function videoDoctor(settings: BinarySettings = {}): Promise<VideoDoctorReport> {
  const [ff, probe] = await Promise.all([report('ffmpeg', settings), report('ffprobe', settings)]);
  const problems: string[] = [];
  let codecs: CodecSupport | undefined;
  try {
    codecs = await codecSupport(ff.path, probe.path);
    if (!codecs.mjpegEncoder)
      problems.push(`${ff.path} has no mjpeg encoder: frames cannot be extracted`);
    if (!codecs.decoders.h264) problems.push(`${ff.path} cannot decode H.264`);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return { ffmpeg: ff, ffprobe: probe, ...(codecs ? { codecs } : {}), problems };
}
