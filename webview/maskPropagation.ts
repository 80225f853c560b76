/**
 * Propagate (Shift+T, the palette's button): the active entity's mask on the shown frame is
 * carried over the sampled frames both ways by the host (`mask/propagate`), which reports
 * each frame as it goes (`mask/propagate/didProgress`) and stores every propagated mask as a
 * proposal with its predicted IoU, in one undo step. Esc or Stop cancels (nothing stored). A frame
 * corrected by hand and propagated again re-seeds the track from there.
 */
import { RequestError } from '../src/protocol/envelope';
import type { PropagateDidProgress } from '../src/protocol/messages';
import type { PropagateStop } from '../src/protocol/suggestion';
import type { HostClient } from './host/hostClient';
import { maskOn } from './stage/maskScene';
import type { Store } from './state/store';
import { errorText } from './errorText';

/** Each frame runs the SAM decoder and maybe the encoder on CPU: allow for long tracks. */
const PROPAGATE_TIMEOUT_MS = 900_000;

/** Runs and cancels propagations; shows their progress in the store. */
export class MaskPropagation {
  private run: AbortController | undefined;

  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: (level: 'info' | 'warn' | 'error', text: string) => void,
  ) {}

  /** Starts a propagation from the shown frame (one at a time). */
  start(): void {
    const state = this.store.state;
    const sample = state.sample;
    const index = state.entity;
    const entity = this.store.activeEntity();
    if (!sample || index === undefined || !entity) {
      this.notice('info', 'select an entity first (Tab)');
      return;
    }
    if (this.run) {
      this.notice('info', 'a propagation is running: Esc stops it');
      return;
    }
    if (!state.canSuggest) {
      this.notice('warn', state.inference.message);
      return;
    }
    if (!maskOn(entity, index, state.frame)) {
      this.notice(
        'info',
        `"${entity.text}" has no mask on frame ${state.frame}: make one first (model click, brush)`,
      );
      return;
    }
    void this.propagate(sample.line, index, state.frame);
  }

  /** Cancels the running propagation; true when one ran. */
  cancel(): boolean {
    if (!this.run) return false;
    this.run.abort();
    return true;
  }

  /** A frame of a propagation is done (this view's or another's). */
  onProgress(message: PropagateDidProgress): void {
    const current = this.store.state.propagating;
    if (!current || current.line !== message.line || current.entity !== message.entity) return;
    this.store.update(['ui'], (s) => {
      s.propagating = {
        ...current,
        done: message.done,
        total: message.total,
        frames: [...(current.frames ?? []), { frame: message.frame, score: message.score }],
      };
    });
  }

  private async propagate(line: number, entity: number, frame: number): Promise<void> {
    const ac = new AbortController();
    this.run = ac;
    const total = Math.max(0, this.store.state.frames.length - 1);
    this.store.update(['ui'], (s) => {
      s.propagating = { line, entity, done: 0, total };
      s.propagationStops = undefined;
    });
    try {
      const outcome = await this.client.request(
        { type: 'mask/propagate', line, entity, frame, direction: 'both' },
        { signal: ac.signal, timeoutMs: PROPAGATE_TIMEOUT_MS },
      );
      // Where and why each side stopped (drift caught), also when no frame was kept.
      const found = [outcome.backward, outcome.forward].filter(
        (stop): stop is PropagateStop => stop !== undefined && stop.frame >= 0,
      );
      const stops = found.map((stop) => `frame ${stop.frame}: ${stop.reason}`);
      // The filmstrip marks where each side stopped, the reason as the mark's tooltip.
      this.store.update(['ui'], (s) => {
        s.propagationStops = {
          line,
          entity,
          stops: found.map((stop) => ({ frame: stop.frame, reason: stop.reason })),
        };
      });
      if (!outcome.applied) {
        this.notice(
          'info',
          `${outcome.modelId}: ${outcome.reason ?? 'nothing propagated'}` +
            (stops.length ? `; stopped at ${stops.join('; ')}` : ''),
        );
        return;
      }
      const scores = outcome.frames.map((f) => f.score);
      const low = scores.length ? Math.min(...scores) : 1;
      this.notice(
        'info',
        `propagated to ${outcome.frames.length} frames (lowest confidence ${low.toFixed(2)})` +
          (stops.length ? `; stopped at ${stops.join('; ')}` : ''),
      );
    } catch (error) {
      if (error instanceof RequestError && error.code === 'cancelled')
        this.notice('info', 'propagation stopped; nothing was stored');
      else this.notice('error', `propagate: ${errorText(error)}`);
    } finally {
      if (this.run === ac) this.run = undefined;
      this.store.update(['ui'], (s) => {
        s.propagating = undefined;
      });
    }
  }
}
