import { access, constants, mkdir } from 'node:fs/promises';
import type { CliCommand } from '../command';
import { EXIT } from '../command';

const usage = `groundwork doctor [--json]

Reports what this machine gives Groundwork: Node, ffmpeg and ffprobe (which one, from where,
which version), the frame cache, the inference provider (CUDA or CPU) and the models found.`;

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly data?: unknown;
}

async function safe(name: string, f: () => Promise<Check>): Promise<Check> {
  try {
    return await f();
  } catch (e) {
    return { name, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** `groundwork doctor`: the environment, for bug reports and CI logs. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'report ffmpeg, cache, inference provider and models',
  usage,
  valueOptions: [],
  maxPositionals: 0,
  booleanOptions: ['json'],
  async run(args, io) {
    const checks: Check[] = [];
    checks.push({
      name: 'node',
      ok: Number(process.versions.node.split('.')[0]) >= 20,
      detail: `Node ${process.versions.node} (${process.platform}-${process.arch})`,
    });
    checks.push(
      await safe('video', async () => {
        const { videoDoctor } = await import('../../video/videoDoctor');
        const r = await videoDoctor();
        return {
          name: 'video',
          ok: r.problems.length === 0,
          detail: `ffmpeg ${r.ffmpeg.version} (${r.ffmpeg.source}: ${r.ffmpeg.path}); ffprobe ${r.ffprobe.version} (${r.ffprobe.source})${r.problems.length ? '; ' + r.problems.join('; ') : ''}`,
          data: r,
        };
      }),
    );
    checks.push(
      await safe('cache', async () => {
        const { defaultCacheDir } = await import('../../video/videoCache');
        const dir = defaultCacheDir();
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
        return { name: 'cache', ok: true, detail: `${dir} (writable)`, data: { dir } };
      }),
    );
    checks.push(
      await safe('inference', async () => {
        const { describeInference, inferenceDoctor } = await import('../../inference/doctor');
        const r = await inferenceDoctor();
        // One readable line; `--json` carries the whole report.
        return { name: 'inference', ok: true, detail: describeInference(r), data: r };
      }),
    );
    const ok = checks.every((c) => c.ok);
    if (args.options.json)
      io.stdout.write(
        JSON.stringify(
          {
            ok,
            checks: Object.fromEntries(
              checks.map((c) => [
                c.name,
                { ok: c.ok, ...(c.data !== undefined ? { report: c.data } : { detail: c.detail }) },
              ]),
            ),
          },
          null,
          2,
        ) + '\n',
      );
    else
      for (const c of checks)
        io.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(10)} ${c.detail}\n`);
    return ok ? EXIT.ok : EXIT.invalid;
  },
};
