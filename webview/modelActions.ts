/**
 * The models in the UI: `S` asks for the active entity's suggestion (and an entity with
 * nothing yet asks once by itself when it becomes active), `C` proposes the next-best box,
 * model clicks go to SAM. Requests never block the UI: the newest cancels the one before,
 * results come back as `model/suggestion/didChange` and as the entity's new proposal.
 */
import { RequestError } from '../src/protocol/envelope';
import type {
  EntitySuggestion,
  InferenceStatus,
  ModelClick,
  SegmentOutcome,
} from '../src/protocol/suggestion';
import { errorText } from './errorText';
import type { HostClient } from './host/hostClient';
import { proposedFrame } from './state/proposedFrame';
import type { Store } from './state/store';
import { suggestionKey } from './state/store';

/** First suggestions start the worker and decode the sample: allow for a slow machine. */
const SUGGEST_TIMEOUT_MS = 300_000;
/** Performance marks of a model click: its request sent, its reply received. */
const SEND_MARK = 'groundwork:segment-send';
const REPLY_MARK = 'groundwork:segment-reply';

/** Model actions shared by the keys, the buttons and the model click tool. */
export class ModelActions {
  private suggestRun: AbortController | undefined;
  private segmentRun: AbortController | undefined;
  private readonly autoAsked = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly client: HostClient,
    private readonly notice: (level: 'info' | 'warn' | 'error', text: string) => void,
    private readonly goTo: (frame: number) => void,
  ) {}

  /** S: suggestions for the active entity now; `auto` stays quiet when models are off. */
  async suggest(auto = false): Promise<void> {
    const s = this.store.state;
    const i = s.entity;
    if (!s.sample || i === undefined) {
      if (!auto) this.notice('info', 'select an entity first (Tab)');
      return;
    }
    if (!s.canSuggest) {
      if (!auto) this.notice('warn', s.inference.message);
      return;
    }
    this.suggestRun?.abort();
    const ac = new AbortController();
    this.suggestRun = ac;
    const key = suggestionKey(s.sample.id, i);
    this.store.update(['ui'], (st) => {
      st.suggesting = key;
    });
    try {
      await this.client.request(
        { type: 'model/suggest', line: s.sample.line, entity: i },
        { signal: ac.signal, timeoutMs: SUGGEST_TIMEOUT_MS },
      );
    } catch (e) {
      if (!(e instanceof RequestError && e.code === 'cancelled'))
        this.notice(auto ? 'warn' : 'error', `suggestion: ${errorText(e)}`);
    } finally {
      if (this.suggestRun === ac) {
        this.suggestRun = undefined;
        this.store.update(['ui'], (st) => {
          st.suggesting = undefined;
        });
      }
    }
  }

  /** Asks once per entity by itself: only for one with no proposal and no grounding yet. */
  maybeAuto(): void {
    const s = this.store.state;
    const e = this.store.activeEntity();
    if (!s.canSuggest || !s.sample || s.entity === undefined || !e) return;
    if (e.status !== 'pending' || e.proposal || e.grounding) return;
    const key = suggestionKey(s.sample.id, s.entity);
    if (this.autoAsked.has(key) || s.suggestions.has(key)) return;
    this.autoAsked.add(key);
    void this.suggest(true);
  }

  /** C: the next-best box candidate of the active entity's suggestion. */
  async cycle(): Promise<void> {
    const s = this.store.state;
    const i = s.entity;
    if (!s.sample || i === undefined) {
      this.notice('info', 'select an entity first (Tab)');
      return;
    }
    if (!s.suggestions.has(suggestionKey(s.sample.id, i))) {
      this.notice('info', 'no box candidates yet: press S to ask the models');
      return;
    }
    try {
      await this.client.request({ type: 'model/suggest/cycle', line: s.sample.line, entity: i });
    } catch (e) {
      this.notice('error', `next candidate: ${errorText(e)}`);
    }
  }

  /** Model clicks on the current frame; a newer call cancels the one still running. */
  async segment(
    clicks: readonly ModelClick[],
    /** Called with the reply (before its snapshot arrives): the mask layer draws it at once. */
    onReply?: (r: SegmentOutcome, at: { line: number; entity: number; frame: number }) => void,
  ): Promise<void> {
    const s = this.store.state;
    const i = s.entity;
    if (!s.sample || i === undefined) return;
    if (!s.canSuggest) {
      this.notice('warn', s.inference.message);
      return;
    }
    this.segmentRun?.abort();
    const ac = new AbortController();
    this.segmentRun = ac;
    try {
      // Stage marks of a click for the SAM bench (bench/sam.bench.ts reads them).
      performance.clearMarks(SEND_MARK);
      performance.clearMarks(REPLY_MARK);
      performance.mark(SEND_MARK);
      const r = await this.client.request(
        { type: 'model/segment', line: s.sample.line, entity: i, frame: s.frame, clicks },
        { signal: ac.signal, timeoutMs: SUGGEST_TIMEOUT_MS },
      );
      performance.mark(REPLY_MARK);
      onReply?.(r, { line: s.sample.line, entity: i, frame: s.frame });
      if (!r.applied) this.notice('info', `${r.modelId}: ${r.reason ?? 'nothing proposed'}`);
    } catch (e) {
      if (!(e instanceof RequestError && e.code === 'cancelled'))
        this.notice('error', errorText(e));
    } finally {
      if (this.segmentRun === ac) this.segmentRun = undefined;
    }
  }

  /**
   * A suggestion arrived: remember it. It never moves the view (the person may be stepping or
   * drawing): the filmstrip marks its frame and `J` jumps there.
   */
  onSuggestion(sg: EntitySuggestion): void {
    const key = suggestionKey(sg.id, sg.entity);
    this.store.update(['ui'], (s) => {
      s.suggestions.set(key, sg);
    });
    const s = this.store.state;
    if (s.sample?.id !== sg.id || s.entity !== sg.entity) return;
    if (!sg.applied && sg.reason)
      this.notice(
        'info',
        `suggestion: ${sg.kind} (${sg.kindReason}), frame ${sg.frame}; ${sg.reason}`,
      );
  }

  /** J: goes to the frame proposed for the active entity (the filmstrip marks it). */
  jumpToProposal(): void {
    const frame = proposedFrame(this.store.state);
    if (frame === undefined) this.notice('info', 'no proposed frame for this entity');
    else this.goTo(frame);
  }

  /** The inference status changed. */
  onStatus(st: InferenceStatus): void {
    this.store.update(['ui'], (s) => {
      s.inference = st;
    });
  }
}
