/** Execution providers: `auto | cuda | cpu`, CUDA detection, and session creation with a clear fallback. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

/** The `groundwork.inference.device` setting. */
export type Device = 'auto' | 'cuda' | 'cpu';

/** The provider a session actually runs on. */
export type Provider = 'cuda' | 'cpu';

/** Whether the CUDA provider can be used here, and why not. */
export interface CudaStatus {
  readonly ok: boolean;
  readonly message: string;
}

/** A created session and which provider it got; `notice` explains a fallback to CPU. */
export interface ProvidedSession {
  readonly session: ort.InferenceSession;
  readonly provider: Provider;
  readonly notice?: string;
}

/** A 67-byte Identity graph (float32 [1]) used to probe whether a provider really loads. */
const PROBE_MODEL =
  'CAg6OwoQCgF4EgF5IghJZGVudGl0eRIFcHJvYmVaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgIQEQ==';

/** Shown wherever CUDA is missing: the opt-in install is the fix. */
export const GPU_INSTALL_HINT =
  'run "node scripts/gpu-install.mjs" (downloads onnxruntime-node\'s CUDA 12 provider; needs the network, an NVIDIA driver, CUDA 12 and cuDNN 9)';

/** Folder of onnxruntime-node's native libraries for this platform. */
export function ortBinDir(): string {
  return join(
    dirname(require.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
}

/**
 * Checks the provider libraries without touching them: onnxruntime-node ships CUDA only for
 * linux/x64 and win32/x64, and only after its opt-in download, which our .npmrc skips so
 * that installs work offline. Loading a missing provider would log native errors first.
 */
export function cudaLibraryStatus(): CudaStatus {
  const platform = `${process.platform}/${process.arch}`;
  if (platform !== 'linux/x64' && platform !== 'win32/x64')
    return { ok: false, message: `onnxruntime-node has no CUDA provider for ${platform}` };
  const lib =
    process.platform === 'win32'
      ? 'onnxruntime_providers_cuda.dll'
      : 'libonnxruntime_providers_cuda.so';
  const path = join(ortBinDir(), lib);
  if (!existsSync(path))
    return {
      ok: false,
      message: `the CUDA execution provider is not installed (${lib} is missing in ${ortBinDir()}); ${GPU_INSTALL_HINT}`,
    };
  return { ok: true, message: `${lib} present` };
}

/**
 * Session options shared by every model: errors only in the log, full graph optimisation,
 * and no spin-waiting in the thread pool: spinning threads burn the cores that ffmpeg
 * needs to decode the next frame while the model runs (prelabel overlaps the two).
 */
function sessionOptions(provider: Provider, threads?: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    logSeverityLevel: 3,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    ...(threads ? { intraOpNumThreads: threads } : {}),
  };
}

/** Probes CUDA for real: the libraries, then a session on a 67-byte graph (catches a missing driver or cuDNN). */
export async function probeCuda(): Promise<CudaStatus> {
  const libs = cudaLibraryStatus();
  if (!libs.ok) return libs;
  try {
    await ort.InferenceSession.create(Buffer.from(PROBE_MODEL, 'base64'), sessionOptions('cuda'));
    return { ok: true, message: 'CUDA execution provider loaded' };
  } catch (e) {
    return {
      ok: false,
      message: `the CUDA execution provider failed to load: ${(e as Error).message}`,
    };
  }
}

async function create(
  model: string | Uint8Array,
  provider: Provider,
  what: string,
  threads?: number,
): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions(provider, threads))
      : await ort.InferenceSession.create(model, sessionOptions(provider, threads));
  } catch (e) {
    const where = typeof model === 'string' ? model : `${model.length} bytes`;
    throw new Error(
      `${what}: onnxruntime (${provider}) cannot load ${where}: ${(e as Error).message.trim()}. The file may be corrupt, truncated or not an ONNX model`,
      { cause: e },
    );
  }
}

/**
 * Creates a session on the requested device. `cpu` is CPU. `auto` tries CUDA and falls back
 * to CPU with a notice saying why. `cuda` never falls back: a person who forced the GPU
 * must learn it is not used rather than get a silently slow CPU session, so it throws.
 */
export async function createSession(
  model: string | Uint8Array,
  device: Device,
  what: string,
  threads?: number,
): Promise<ProvidedSession> {
  if (device === 'cpu')
    return { session: await create(model, 'cpu', what, threads), provider: 'cpu' };
  const libs = cudaLibraryStatus();
  if (device === 'cuda') {
    if (!libs.ok)
      throw new Error(
        `${what}: device "cuda" was requested but ${libs.message}. Set groundwork.inference.device to "auto" or "cpu" to run on the CPU`,
      );
    return { session: await create(model, 'cuda', what, threads), provider: 'cuda' };
  }
  if (!libs.ok) {
    // The default install has no CUDA provider: a few words on each run, not the library's
    // path (`groundwork doctor` gives the details).
    const notInstalled = libs.message.includes('is not installed');
    return {
      session: await create(model, 'cpu', what, threads),
      provider: 'cpu',
      notice: `CUDA unavailable, running on CPU: ${notInstalled ? 'no CUDA provider installed (npm run gpu:install adds it; groundwork doctor says more)' : libs.message}`,
    };
  }
  try {
    return { session: await create(model, 'cuda', what, threads), provider: 'cuda' };
  } catch (e) {
    return {
      session: await create(model, 'cpu', what, threads),
      provider: 'cpu',
      notice: `CUDA unavailable, running on CPU: ${(e as Error).message}`,
    };
  }
}

/** Backends this onnxruntime-node build knows (CUDA is listed even when its libraries are absent). */
export function availableProviders(): string[] {
  return ort.listSupportedBackends().map((b) => `${b.name}${b.bundled ? '' : ' (opt-in)'}`);
}
