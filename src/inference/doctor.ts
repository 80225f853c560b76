/** `inferenceDoctor()`: which provider runs, whether CUDA loads, and which models are ready. */
import { dirname } from 'node:path';
import { loadManifests, defaultManifestsDir } from './manifest';
import type { InferenceDoctorReport, ModelReport } from './messages';
import { modelReport, resolveModelsDir } from './modelFiles';
import type { Device } from './providers';
import { availableProviders, probeCuda } from './providers';

/** Options of the report; defaults: device `auto`, the configured models folder, the shipped manifests. */
export interface DoctorOptions {
  readonly device?: Device;
  readonly modelsDir?: string;
  readonly manifestsDir?: string;
}

/**
 * The inference part of `groundwork doctor --json`. CUDA is probed by loading a 67-byte
 * graph on it, so a missing driver or cuDNN shows here and not at the first click.
 */
export async function inferenceDoctor(options: DoctorOptions = {}): Promise<InferenceDoctorReport> {
  const device = options.device ?? 'auto';
  const cuda = await probeCuda();
  const provider =
    device === 'cpu' ? 'cpu' : cuda.ok ? 'cuda' : device === 'auto' ? 'cpu' : undefined;
  const models: ModelReport[] = [];
  for (const m of loadManifests(options.manifestsDir ?? defaultManifestsDir()))
    models.push(await modelReport(m, options.modelsDir));
  return {
    device,
    provider,
    availableProviders: availableProviders(),
    cuda,
    modelsDir: resolveModelsDir(options.modelsDir),
    models,
  };
}

/**
 * One model as a person reads it: ready with the folder its files were actually found in
 * (the models folder is only the first place searched, so naming it alone misleads when
 * the file came from elsewhere), or what is wrong with which file.
 */
export function describeModel(model: ModelReport): string {
  if (model.ready) {
    const dirs = [...new Set(model.files.flatMap((f) => (f.path ? [dirname(f.path)] : [])))];
    return `${model.id} ready (${dirs.length ? `from ${dirs.join(' and ')}` : 'no files'})`;
  }
  const corrupt = model.files.filter((f) => f.status === 'corrupt');
  if (corrupt.length) return `${model.id} corrupt (${corrupt.map((f) => f.name).join(', ')})`;
  const missing = model.files.filter((f) => f.status === 'missing').map((f) => f.name);
  return `${model.id} not downloaded (missing ${missing.join(', ')})`;
}

/** The readable line of `groundwork doctor`: provider, CUDA, where models are looked for and found. */
export function describeInference(report: InferenceDoctorReport): string {
  const cuda = report.cuda.ok ? 'ok' : report.cuda.message;
  const models = report.models.map(describeModel).join('; ');
  return `device ${report.device} -> ${report.provider ?? 'none'}; CUDA: ${cuda}; models folder ${report.modelsDir}; ${models}`;
}
