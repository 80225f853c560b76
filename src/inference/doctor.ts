/** `inferenceDoctor()`: which provider runs, whether CUDA loads, and which models are ready. */
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
