/**
 * The inference worker as the editor uses it: started on the first suggestion (never when
 * models are disabled, e.g. in an untrusted workspace), its provider reported as a status
 * the views show, and worker errors turned into replies a person can act on.
 */
import { InferenceClient } from '../inference/client';
import type { InferenceClientOptions } from '../inference/client';
import type { InferenceDoctorReport } from '../inference/messages';
import { RequestError } from '../protocol/envelope';
import type { InferenceStatus } from '../protocol/suggestion';

/** The lazily started worker and its status. */
export class ModelRuntime {
  private clientValue: InferenceClient | undefined;
  private reportValue: Promise<InferenceDoctorReport> | undefined;
  private readonly loaded = new Map<string, Promise<void>>();
  private statusValue: InferenceStatus;
  private readonly listeners = new Set<(s: InferenceStatus) => void>();

  constructor(
    private readonly enabled: boolean,
    private readonly options: InferenceClientOptions,
    private readonly log: (level: 'info' | 'warn' | 'error', m: string) => void,
    offReason?: string,
  ) {
    this.statusValue = enabled
      ? { state: 'idle', message: 'models: not started (they start on the first suggestion)' }
      : { state: 'off', message: `models: off (${offReason ?? 'disabled'})` };
  }

  /** The current status. */
  get status(): InferenceStatus {
    return this.statusValue;
  }
  /** True once a worker was created. */
  get started(): boolean {
    return this.clientValue !== undefined;
  }

  /** Listens to status changes. */
  onStatus(listener: (s: InferenceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The client, its worker started and its provider known; throws when models are off. */
  async client(): Promise<InferenceClient> {
    if (!this.enabled) throw new RequestError('unsupported', this.statusValue.message);
    await this.report();
    return this.clientValue as InferenceClient;
  }

  /** The worker's doctor report (which provider, which models are present), asked once. */
  report(): Promise<InferenceDoctorReport> {
    if (!this.enabled)
      return Promise.reject(new RequestError('unsupported', this.statusValue.message));
    if (!this.reportValue) {
      this.clientValue ??= new InferenceClient({
        ...this.options,
        onNotice: (m) => {
          this.log('warn', m);
          this.options.onNotice?.(m);
        },
      });
      this.set({ state: 'starting', message: 'models: starting the inference worker…' });
      const client = this.clientValue;
      this.reportValue = client.doctor().then(
        (r) => {
          const provider = r.provider ?? 'none';
          this.set({
            state: 'ready',
            provider,
            message: `${provider} (inference device ${r.device}${r.cuda.ok ? '' : `; CUDA: ${r.cuda.message}`})`,
          });
          return r;
        },
        (e: unknown) => {
          this.reportValue = undefined;
          const message = e instanceof Error ? e.message : String(e);
          this.set({ state: 'error', message: `models: ${message}` });
          throw new RequestError('failed', `the inference worker did not start: ${message}`);
        },
      );
    }
    return this.reportValue;
  }

  /** Loads the detector once; a missing model file is an `unsupported` reply naming the fix. */
  async loadDetector(modelId: string): Promise<void> {
    const report = await this.report();
    const m = report.models.find((x) => x.id === modelId);
    if (!m?.ready)
      throw new RequestError(
        'unsupported',
        `${modelId} is not downloaded: run \`groundwork models install ${modelId}\` / set groundwork.models.dir`,
      );
    let p = this.loaded.get(modelId);
    if (!p) {
      p = this.run(() => (this.clientValue as InferenceClient).loadModel(modelId)).then((r) => {
        this.set({
          state: 'ready',
          provider: r.provider,
          message: `${r.provider} (${modelId}${r.notice ? `; ${r.notice}` : ''})`,
        });
      });
      p.catch(() => this.loaded.delete(modelId));
      this.loaded.set(modelId, p);
    }
    await p;
  }

  /** Runs a worker call; a crash (the worker restarts on the next call) shows in the status. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof RequestError && e.code === 'crashed') {
        this.loaded.clear();
        this.set({
          ...this.statusValue,
          message: `${this.statusValue.provider ?? 'models'}: ${e.message}`,
        });
        // To the view a crash is a failed request; the next one starts a fresh worker.
        throw new RequestError('failed', e.message);
      }
      throw e;
    }
  }

  /** Stops the worker. */
  async dispose(): Promise<void> {
    await this.clientValue?.dispose();
  }

  private set(s: InferenceStatus): void {
    this.statusValue = s;
    for (const l of this.listeners) l(s);
  }
}
