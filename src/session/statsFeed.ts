/**
 * Keeps a stats view (the VS Code dashboard) up to date with a session: every document
 * change schedules one recount after a short pause, posted to a visible view; a hidden view
 * (which drops posted messages) is marked stale and rendered whole when shown again. VS
 * Code-free, so the live behaviour is tested with a plain session.
 */
import type { DatasetDoc } from '../core/dataset';
import { statsPageData } from '../io/statsReport';
import type { StatsReportData } from '../io/statsReport';
import type { Event, Subscription } from './emitter';
import type { SessionChange } from './editorSession';

/** The part of a session the feed reads. */
export interface StatsSource {
  readonly path: string;
  readonly doc: DatasetDoc;
  readonly onDidChange: Event<SessionChange>;
}

/** Where the figures go: a whole page, or an update to the page shown. */
export interface StatsView {
  readonly visible: boolean;
  render(data: StatsReportData): void;
  post(data: StatsReportData): void;
}

// Figures are recomputed from every line; a burst of edits (a drag, a paste) costs one run.
const REFRESH_MS = 300;
/**
 * The pause grows with the document: a recount reads every line (1-2 s at 100k samples), so
 * at 0.1 ms a line a person editing a large dataset with the dashboard open keeps most of
 * the host's time (issue 14 item 5); below 3,000 lines it is REFRESH_MS.
 */
const PAUSE_MS_PER_LINE = 0.1;

/** Feeds one view from one session until disposed. */
export class StatsFeed {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stale = false;
  private readonly subscription: Subscription;

  constructor(
    private readonly source: StatsSource,
    private readonly view: StatsView,
    private readonly delayMs = REFRESH_MS,
  ) {
    this.render();
    this.subscription = source.onDidChange((change) => {
      // Overlays are model suggestions shown while browsing: not in the file, not counted.
      if (change.kind === 'document') this.schedule();
    });
  }

  /** The figures as the document is now. */
  data(): StatsReportData {
    return statsPageData(this.source.path, this.source.doc);
  }

  /** The pause before the next recount (longer for a larger document). */
  get pauseMs(): number {
    return Math.max(this.delayMs, Math.round(this.source.doc.lines.length * PAUSE_MS_PER_LINE));
  }

  /** Call when the view is shown again: a stale view gets a whole new page. */
  shown(): void {
    if (this.view.visible && this.stale) this.render();
  }

  private render(): void {
    this.stale = false;
    this.view.render(this.data());
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.view.visible) this.stale = true;
      else this.view.post(this.data());
    }, this.pauseMs);
  }

  /** Stops listening; a pending recount is dropped. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.subscription.dispose();
  }
}
