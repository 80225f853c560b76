/**
 * The editor UI: lays out the panels around the stage, turns host messages into store
 * updates, and keeps the stage, the geometry layer and the active tool in step with the
 * store. A projection of the host's document; every edit goes out as an op.
 */
import type { HostMessage } from '../src/protocol/messages';
import type { SampleSnapshot } from '../src/protocol/snapshot';
import { h } from './dom';
import { EditorActions } from './editorActions';
import type { HostContext } from './host/hostContext';
import { HostClient } from './host/hostClient';
import { installKeyboard } from './keyboard';
import { ModelActions } from './modelActions';
import type { KeyAction } from './keymap';
import { Banner } from './panels/banner';
import { setRefocus } from './panels/controls';
import { EntityPanel } from './panels/entityPanel';
import { Filmstrip } from './panels/filmstrip';
import { HeaderBar } from './panels/headerBar';
import { HelpOverlay } from './panels/helpOverlay';
import { ReasoningPanel } from './panels/reasoningPanel';
import { ReviewBar } from './panels/reviewBar';
import { ToolPalette } from './panels/toolPalette';
import { Transport } from './panels/transport';
import { ReviewActions } from './reviewActions';
import { FrameController } from './stage/frameController';
import { FrameStage } from './stage/frameStage';
import { GroundingLayer } from './stage/groundingLayer';
import { entityColor } from './stage/palette';
import { Store } from './state/store';
import type { Change, ToolId } from './state/store';
import { AffordanceTool } from './tools/affordanceTool';
import { BoxTool } from './tools/boxTool';
import { ModelClickTool } from './tools/modelClickTool';
import { PointsTool } from './tools/pointsTool';
import { SelectTool } from './tools/selectTool';
import type { Tool, ToolContext } from './tools/tool';
import { TrajectoryTool } from './tools/trajectoryTool';

/** The whole editor UI in `root`, talking to the host through `context`. */
export class EditorApp {
  readonly store = new Store();
  readonly client: HostClient;
  readonly view: FrameStage;
  readonly actions: EditorActions;
  readonly model: ModelActions;
  readonly review: ReviewActions;
  private readonly frames: FrameController;
  private readonly layer: GroundingLayer;
  private readonly tools: Record<ToolId, Tool> = {
    select: new SelectTool(),
    box: new BoxTool(),
    points: new PointsTool(),
    affordance: new AffordanceTool(),
    trajectory: new TrajectoryTool(),
    modelClick: new ModelClickTool(),
  };
  private tool: Tool | undefined;
  private owned: number | undefined;
  private readonly transport: Transport;

  constructor(
    root: HTMLElement,
    readonly context: HostContext,
  ) {
    this.store.state.mode = context.mode;
    this.store.state.connected = context.mode === 'vscode';
    this.client = new HostClient(context);
    const stageWrap = h('div', { class: 'stage-wrap' });
    this.view = new FrameStage(stageWrap);
    this.actions = new EditorActions(
      this.store,
      this.client,
      (s, keep) => this.applySample(s, keep),
      () => this.view.container.focus(),
    );
    setRefocus(() => this.view.container.focus());
    this.frames = new FrameController(this.store, this.view, this.client, () => this.drawn());
    this.layer = new GroundingLayer(this.view);
    const a = this.actions;
    const notice = (level: 'info' | 'warn' | 'error', text: string): void => a.notice(level, text);
    this.model = new ModelActions(this.store, this.client, notice, (n) => a.goTo(n));
    this.review = new ReviewActions(this.store, this.client, notice);
    const m = this.model,
      r = this.review;

    const header = new HeaderBar(this.store, {
      openSample: (l) => void a.openSample(l),
      nextTodo: () => void a.nextTodo(),
      annotatedNext: () => void a.annotatedNext(),
      undo: () => void a.undo(),
      redo: () => void a.redo(),
      save: () => void a.save(),
      exportDataset: () => void a.exportDataset(),
      toggleHelp: () => this.toggleHelp(),
    });
    const palette = new ToolPalette(this.store, {
      setTool: (t) => a.setTool(t),
      fit: () => this.view.fit(),
      zoom: (f) => this.view.zoomBy(f),
    });
    this.transport = new Transport(this.store, {
      step: (d) => a.step(d),
      togglePlay: () => a.togglePlay(),
      goTo: (n) => a.goTo(n),
    });
    const film = new Filmstrip(this.store, (n) => a.goTo(n));
    const banner = new Banner(this.store, () =>
      this.store.update(['ui'], (s) => {
        s.notice = undefined;
      }),
    );
    const entities = new EntityPanel(this.store, {
      activate: (i) => a.activate(i),
      setKind: (k) => a.setKind(k),
      accept: () => a.accept(),
      reject: () => a.reject(),
      suggest: () => void m.suggest(),
      cycleCandidate: () => void m.cycle(),
    });
    const review = new ReviewBar(this.store, {
      approve: () => void r.approve(),
      askReject: () => r.askReject(),
      reject: (t) => void r.reject(t),
      cancelReject: () => r.cancelReject(),
    });
    header.el.append(review.el);
    const reasoning = new ReasoningPanel(this.store, {
      activate: (i) => a.activate(i),
      editReasoning: (t) => a.editReasoning(t),
    });
    const help = new HelpOverlay(this.store, () => this.toggleHelp(false));

    root.replaceChildren(
      header.el,
      h(
        'main',
        { class: 'main' },
        h('div', { class: 'left' }, banner.el, palette.el, stageWrap, this.transport.el, film.el),
        h('div', { class: 'right' }, entities.el, reasoning.el),
      ),
      help.el,
    );

    this.store.subscribe((c) => this.onChange(c));
    this.view.onViewChange(() => this.tool?.refresh());
    installKeyboard(window, context.mode, this.view, (k) => this.run(k));
    this.client.onHostMessage((m) => this.onHost(m));
    context.onConnect(() => {
      this.store.update(['ui'], (s) => {
        s.connected = true;
      });
      this.client.command({
        type: 'webview/ready',
        ...(context.getState().line !== undefined ? { line: context.getState().line } : {}),
      });
    });
    this.setTool('select');
  }

  private onHost(m: HostMessage): void {
    switch (m.type) {
      case 'host/init': {
        const snap = m.snapshot;
        this.store.update(['samples', 'document', 'ui'], (s) => {
          s.datasetName = snap.datasetName;
          s.samples = snap.samples.slice();
          s.document = snap.document;
          s.canExport = snap.canExport;
          s.canSuggest = snap.canSuggest;
          s.inference = snap.inference;
        });
        if (snap.sample)
          this.applySample(
            snap.sample,
            this.store.state.sample?.line === snap.sample.line &&
              this.store.state.sample.id === snap.sample.id,
          );
        else
          this.store.update(['sample', 'frames', 'frame', 'entity'], (s) => {
            s.sample = undefined;
            s.frames = [];
            s.frame = 0;
            s.entity = undefined;
          });
        return;
      }
      case 'sample/didChange': {
        const cur = this.store.state.sample;
        this.applySample(m.sample, cur?.line === m.sample.line && cur.id === m.sample.id);
        return;
      }
      case 'dataset/didChange':
        this.store.update(['samples', 'document'], (s) => {
          s.document = m.document;
          for (const c of m.changed) {
            const k = s.samples.findIndex((x) => x.line === c.line);
            if (k >= 0) s.samples[k] = c;
          }
        });
        return;
      case 'notice/didPost':
        this.actions.notice(m.level, m.message);
        return;
      case 'sample/show':
        void this.actions.openSample(m.line);
        return;
      case 'model/suggestion/didChange':
        this.model.onSuggestion(m.suggestion);
        return;
      case 'model/status/didChange':
        this.model.onStatus(m.status);
        return;
    }
  }

  /** Shows a sample snapshot; `keep` keeps the frame and active entity (same sample, new state). */
  private applySample(snap: SampleSnapshot, keep: boolean): void {
    this.store.update(['sample', 'frames', 'frame', 'entity', 'ui'], (s) => {
      const old = keep ? s.frames : [];
      s.sample = snap;
      s.frames = snap.media.frames.map((f, i) =>
        !f.uri && old[i]?.uri ? (old[i] as typeof f) : f,
      );
      const n = snap.state.entities.length;
      if (keep) {
        if (s.entity !== undefined && s.entity >= n) s.entity = n ? n - 1 : undefined;
        if (s.frame >= s.frames.length) s.frame = Math.max(0, s.frames.length - 1);
        return;
      }
      s.notice = undefined;
      const first = snap.state.entities.findIndex(
        (e) => e.status === 'pending' || e.status === 'proposed',
      );
      s.entity = n ? (first >= 0 ? first : 0) : undefined;
      const e = s.entity !== undefined ? snap.state.entities[s.entity] : undefined;
      const f = e?.grounding?.frame ?? e?.proposal?.frame ?? 0;
      s.frame = f < s.frames.length ? f : 0;
    });
    this.context.setState({ line: snap.line });
  }

  private onChange(c: ReadonlySet<Change>): void {
    if (c.has('sample')) this.frames.sampleChanged();
    if (c.has('tool')) this.setTool(this.store.state.tool);
    const frameish = c.has('frame') || c.has('sample') || c.has('frames');
    if (frameish) this.frames.show();
    if (frameish || c.has('entity')) {
      this.updateLayer();
      this.tool?.refresh();
    }
    if (c.has('entity') || c.has('sample')) this.model.maybeAuto();
  }

  private drawn(): void {
    this.updateLayer();
    this.tool?.refresh();
  }

  private updateLayer(): void {
    const s = this.store.state;
    this.layer.set({
      entities: s.sample?.state.entities ?? [],
      frame: s.frame,
      frameSize: this.store.frameSize(),
      active: s.entity,
      exclude: this.owned,
    });
  }

  private setTool(id: ToolId): void {
    if (this.tool?.id === id) return;
    this.tool?.deactivate();
    this.tool = this.tools[id];
    this.tool.activate(this.toolContext());
    this.store.state.tool = id;
  }

  private toolContext(): ToolContext {
    return {
      view: this.view,
      active: () => {
        const i = this.store.state.entity;
        const e = this.store.activeEntity();
        return e && i !== undefined ? { index: i, entity: e, color: entityColor(i) } : undefined;
      },
      frame: () => this.store.state.frame,
      frameSize: () => this.store.frameSize(),
      commit: (tag, pts, label) => this.actions.commitGeometry(tag, pts, label),
      notify: (t) => this.actions.notice('info', t),
      own: (i) => {
        if (i !== this.owned) {
          this.owned = i;
          this.updateLayer();
        }
      },
      segment: (clicks) => void this.model.segment(clicks),
    };
  }

  private toggleHelp(show = !this.store.state.help): void {
    this.store.update(['ui'], (s) => {
      s.help = show;
    });
  }

  private run(k: KeyAction): void {
    const a = this.actions;
    switch (k) {
      case 'nextEntity':
        a.cycle(1);
        break;
      case 'prevEntity':
        a.cycle(-1);
        break;
      case 'kindObject':
        a.setKind('object');
        break;
      case 'kindArea':
        a.setKind('area');
        break;
      case 'accept':
        a.accept();
        break;
      case 'reject':
        a.reject();
        break;
      case 'prevFrame':
        a.step(-1);
        break;
      case 'nextFrame':
        a.step(1);
        break;
      case 'prev10':
        a.step(-10);
        break;
      case 'next10':
        a.step(10);
        break;
      case 'play':
        a.togglePlay();
        break;
      case 'annotatedNext':
        void a.annotatedNext();
        break;
      case 'nextTodo':
        void a.nextTodo();
        break;
      case 'toolSelect':
        a.setTool('select');
        break;
      case 'toolBox':
        a.setTool('box');
        break;
      case 'toolPoints':
        a.setTool('points');
        break;
      case 'toolAffordance':
        a.setTool('affordance');
        break;
      case 'toolTrajectory':
        a.setTool('trajectory');
        break;
      case 'toolModelClick':
        a.setTool('modelClick');
        break;
      case 'suggest':
        void this.model.suggest();
        break;
      case 'cycleCandidate':
        void this.model.cycle();
        break;
      case 'approveSample':
        void this.review.approve();
        break;
      case 'rejectSample':
        this.review.askReject();
        break;
      case 'fit':
        this.view.fit();
        break;
      case 'zoomIn':
        this.view.zoomBy(1.25);
        break;
      case 'zoomOut':
        this.view.zoomBy(0.8);
        break;
      case 'gotoFrame':
        this.transport.input.focus();
        this.transport.input.select();
        break;
      case 'help':
        this.toggleHelp();
        break;
      case 'escape':
        if (this.store.state.help) this.toggleHelp(false);
        else if (this.store.state.rejecting) this.review.cancelReject();
        else if (!this.tool?.cancel())
          this.store.update(['ui'], (s) => {
            s.notice = undefined;
          });
        break;
      case 'undo':
        void a.undo();
        break;
      case 'redo':
        void a.redo();
        break;
      case 'save':
        void a.save();
        break;
    }
  }
}
