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
import { keyCommandsOf } from './keyCommands';
import { MaskActions } from './maskActions';
import { ModelActions } from './modelActions';
import { keyCommandId, setCurrentBindings } from './keyCommandIds';
import { KEYMAP } from './keymap';
import type { KeyCommands } from './keymap';
import { Banner } from './panels/banner';
import { setRefocus } from './panels/controls';
import { EntityPanel } from './panels/entityPanel';
import { Filmstrip } from './panels/filmstrip';
import { HeaderBar } from './panels/headerBar';
import { HelpOverlay } from './panels/helpOverlay';
import { KeyFocus } from './panels/keyFocus';
import { VideoPlayer } from './player/videoPlayer';
import { ReasoningPanel } from './panels/reasoningPanel';
import { ReviewBar } from './panels/reviewBar';
import { applySampleList, applySamplesDelta } from './panels/samplePickerSync';
import { ToolPalette } from './panels/toolPalette';
import { Transport } from './panels/transport';
import { CommentThread } from './panels/commentThread';
import { asProposal } from './panels/reviewCompare';
import { ReviewActions } from './reviewActions';
import { FrameController } from './stage/frameController';
import { FrameStage } from './stage/frameStage';
import { GroundingLayer } from './stage/groundingLayer';
import { MaskController, outcomePreview } from './stage/maskController';
import { MaskMarks } from './stage/maskMarks';
import { showInit, showPageInit, showSample } from './state/showSample';
import { Store } from './state/store';
import type { Change, ToolId } from './state/store';
import { BoxTool } from './tools/boxTool';
import { CountTool } from './tools/countTool';
import { BrushTool } from './tools/brushTool';
import { EraserTool } from './tools/eraserTool';
import { MaskBoxTool } from './tools/maskBoxTool';
import { ModelClickTool } from './tools/modelClickTool';
import { POINT_TOOLS, PointTool } from './tools/pointTool';
import { PolygonTool } from './tools/polygonTool';
import { SelectTool } from './tools/selectTool';
import type { Tool, ToolContext } from './tools/tool';
import { toolContextOf } from './tools/toolContextOf';

/** The whole editor UI in `root`, talking to the host through `context`. */
export class EditorApp {
  readonly store = new Store();
  readonly client: HostClient;
  readonly view: FrameStage;
  readonly actions: EditorActions;
  readonly model: ModelActions;
  readonly review: ReviewActions;
  private readonly thread: CommentThread;
  readonly masks: MaskActions;
  private readonly frames: FrameController;
  private readonly layer: GroundingLayer;
  private readonly maskView: MaskController;
  private readonly tools: Record<ToolId, Tool> = {
    select: new SelectTool(),
    box: new BoxTool(),
    points: new PointTool(POINT_TOOLS.points),
    affordance: new PointTool(POINT_TOOLS.affordance),
    trajectory: new PointTool(POINT_TOOLS.trajectory),
    graspPose: new PointTool(POINT_TOOLS.graspPose),
    modelClick: new ModelClickTool(),
    brush: new BrushTool(),
    eraser: new EraserTool(),
    polygon: new PolygonTool(),
    maskBox: new MaskBoxTool(),
    count: new CountTool(),
  };
  private tool: Tool | undefined;
  private owned: number | undefined;
  /** The sample shown, by line and id (an edit of it is not another sample). */
  private shownKey = '';
  private readonly transport: Transport;
  /** The clip at its real rate over the stage (issue 13 item 8). */
  readonly player: VideoPlayer;

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
    this.maskView = new MaskController(this.store, this.view);
    this.layer = new GroundingLayer(this.view);
    const actions = this.actions;
    const notice = (level: 'info' | 'warn' | 'error', text: string): void =>
      actions.notice(level, text);
    this.model = new ModelActions(this.store, this.client, notice, (n) => actions.goTo(n));
    this.review = new ReviewActions(this.store, this.client, notice, (l) => actions.openSample(l));
    const maskView = this.maskView;
    this.masks = new MaskActions(
      this.store,
      this.client,
      notice,
      () => actions.takeElapsed(),
      (preview) => maskView.preview(preview),
    );
    const model = this.model;
    const reviewActions = this.review;

    const header = new HeaderBar(this.store, {
      openSample: (l) => void actions.openSample(l),
      nextTodo: () => void actions.nextTodo(),
      annotatedNext: () => void actions.annotatedNext(),
      undo: () => void actions.undo(),
      redo: () => void actions.redo(),
      save: () => void actions.save(),
      exportDataset: (format) => void actions.exportDataset(format),
      toggleHelp: () => this.toggleHelp(),
    });
    const palette = new ToolPalette(this.store, {
      setTool: (t) => actions.setTool(t),
      fit: () => this.view.fit(),
      zoom: (f) => this.view.zoomBy(f),
      mask: (command) => this.masks.run(command),
      stopPropagation: () => this.masks.cancelPropagation(),
    });
    const player = new VideoPlayer(this.store, stageWrap, {
      goTo: (n) => actions.goTo(n),
      focus: () => this.view.container.focus(),
      stepPlay: () => actions.togglePlay(),
      stopStepPlay: () => actions.stopPlay(),
      // ffmpeg runs at realtime speed: a long clip takes minutes, not the channel's 20 s.
      makeProxy: (line) =>
        this.client
          .request({ type: 'media/proxy/make', line }, { timeoutMs: 30 * 60_000 })
          .then((reply) => reply.uri),
    });
    this.player = player;
    this.transport = new Transport(this.store, {
      step: (d) => actions.step(d),
      togglePlay: () => player.togglePlay(),
      goTo: (n) => actions.goTo(n),
      toggleView: () => player.toggleView(),
      view: () => player.view(),
    });
    const film = new Filmstrip(this.store, (n) => actions.goTo(n));
    new MaskMarks(this.store, film.el);
    const banner = new Banner(
      this.store,
      () =>
        this.store.update(['ui'], (s) => {
          s.notice = undefined;
        }),
      this.client,
    );
    const entities = new EntityPanel(this.store, {
      activate: (i) => actions.activate(i),
      setKind: (k) => actions.setKind(k),
      accept: () => actions.accept(),
      reject: () => actions.reject(),
      suggest: () => void model.suggest(),
      cycleCandidate: () => void model.cycle(),
      setTask: (task) => void actions.answer.setTask(task),
      toggleAddFrame: () => actions.answer.toggleAddFrame(),
      removeFrame: () => void actions.answer.removeFrame(),
      addingFrame: () => actions.answer.addingFrame,
    });
    const review = new ReviewBar(this.store, {
      nextToReview: () => void reviewActions.nextToReview(),
      toggleProposal: () => reviewActions.toggleProposal(),
      approve: () => void reviewActions.approve(),
      askReject: () => reviewActions.askReject(),
      reject: (t) => void reviewActions.reject(t),
      cancelReject: () => reviewActions.cancelReject(),
    });
    header.el.append(review.el);
    // Before the review bar: on a narrow window that bar takes the header's second row.
    header.el.insertBefore(new KeyFocus(root, () => this.view.container.focus()).el, review.el);
    const reasoning = new ReasoningPanel(this.store, {
      activate: (i) => actions.activate(i),
      editReasoning: (t) => actions.editReasoning(t),
    });
    const help = new HelpOverlay(this.store, () => this.toggleHelp(false));
    this.thread = new CommentThread(this.store, {
      send: (text, entity) => reviewActions.comment(text, entity),
      change: (index, text) => reviewActions.changeComment(index, text),
    });
    // Messages overlay the stage: a banner that pushed it down moved what people draw on.
    stageWrap.append(banner.el);

    root.replaceChildren(
      header.el,
      h(
        'main',
        { class: 'main' },
        h('div', { class: 'left' }, palette.el, stageWrap, this.transport.el, film.el),
        h('div', { class: 'right' }, entities.el, this.thread.el, reasoning.el),
      ),
      help.el,
    );

    this.store.subscribe((changes) => this.onChange(changes));
    this.view.onViewChange(() => this.tool?.refresh());
    this.view.onViewChange(() => this.transport.setZoom(this.view.scale));
    installKeyboard(window, context.mode, this.view, this.keyCommands());
    this.client.onHostMessage((message) => this.onHost(message));
    context.onDisconnect(() =>
      this.store.update(['ui'], (s) => {
        s.connected = false;
      }),
    );
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
    // Serve: the page carries its first sample, drawn before the socket opens (issue 14 item 5);
    // the socket's `webview/ready` then asks for the same sample.
    const carried =
      context.mode === 'serve' ? showPageInit(this.store, context.getState().line) : undefined;
    if (carried) context.setState({ line: carried.line });
  }

  private onHost(message: HostMessage): void {
    switch (message.type) {
      case 'host/init': {
        const sample = showInit(this.store, message.snapshot);
        if (sample) this.context.setState({ line: sample.line });
        return;
      }
      case 'sample/didChange': {
        const cur = this.store.state.sample;
        this.applySample(
          message.sample,
          cur?.line === message.sample.line && cur.id === message.sample.id,
        );
        return;
      }
      case 'dataset/didChange':
        applySamplesDelta(this.store, message);
        return;
      case 'dataset/didList':
        applySampleList(this.store, message);
        return;
      case 'notice/didPost':
        this.actions.notice(message.level, message.message);
        return;
      case 'editor/key':
        // VS Code ran a contributed key command (keyCommandIds.ts names them).
        KEYMAP.find((binding) => keyCommandId(binding) === message.command)?.run(
          this.keyCommands(),
        );
        return;
      case 'editor/keybindings':
        setCurrentBindings(message.bindings);
        return;
      case 'sample/show':
        // The review queue (Shift+N, VS Code's Next to Review) opens its samples in review mode.
        void this.actions
          .openSample(message.line)
          .then(() => this.review.setReviewing(message.review === true));
        return;
      case 'model/suggestion/didChange':
        this.model.onSuggestion(message.suggestion);
        return;
      case 'model/status/didChange':
        this.model.onStatus(message.status);
        return;
      case 'mask/propagate/didProgress':
        this.masks.onProgress(message);
        return;
    }
  }

  /** Shows a sample snapshot; `keep` keeps the frame and active entity (same sample, new state). */
  private applySample(snap: SampleSnapshot, keep: boolean): void {
    showSample(this.store, snap, keep);
    this.context.setState({ line: snap.line });
  }

  private onChange(changes: ReadonlySet<Change>): void {
    const sample = this.store.state.sample;
    const key = sample ? `${sample.line}:${sample.id}` : '';
    // The same sample in a new state (an edit) keeps its frame: only the geometry redraws.
    const another = changes.has('sample') && key !== this.shownKey;
    this.shownKey = key;
    if (another) this.frames.sampleChanged();
    if (changes.has('tool')) this.setTool(this.store.state.tool);
    if (another || changes.has('frame') || changes.has('frames')) this.frames.show();
    if ((['sample', 'frame', 'frames', 'entity'] as const).some((c) => changes.has(c))) {
      this.updateLayer();
      this.tool?.refresh();
    }
    // Not before the socket opens (a serve page shows its carried sample first): the socket's
    // own snapshot follows and asks then.
    if ((changes.has('entity') || changes.has('sample')) && this.store.state.connected)
      this.model.maybeAuto();
  }

  private drawn(): void {
    this.updateLayer();
    this.tool?.refresh();
  }

  private updateLayer(): void {
    const state = this.store.state;
    this.layer.set({
      entities: (state.sample?.state.entities ?? []).map((e) =>
        state.showProposal ? asProposal(e) : e,
      ),
      frame: state.frame,
      frameSize: this.store.frameSize(),
      active: state.entity,
      // Review's proposal view: the active entity's proposal is drawn dashed under the tool's
      // final, so the two are seen together.
      exclude: state.showProposal ? undefined : this.owned,
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
    return toolContextOf({
      store: this.store,
      view: this.view,
      actions: this.actions,
      masks: this.masks,
      own: (index) => {
        if (index !== this.owned) {
          this.owned = index;
          this.updateLayer();
        }
      },
      segment: (clicks) =>
        void this.model.segment(clicks, (r, at) => {
          const preview = outcomePreview(r, at);
          if (preview) this.maskView.preview(preview);
        }),
    });
  }

  private toggleHelp(show = !this.store.state.help): void {
    this.store.update(['ui'], (s) => {
      s.help = show;
    });
  }

  /** What the keymap's bindings run (webview/keymap.ts carries which key runs what). */
  private keyCommands(): KeyCommands {
    return keyCommandsOf({
      actions: this.actions,
      model: this.model,
      review: this.review,
      masks: this.masks,
      player: this.player,
      view: this.view,
      transport: this.transport,
      thread: this.thread,
      toggleHelp: () => this.toggleHelp(),
      escape: () => this.escape(),
    });
  }

  private escape(): void {
    if (this.store.state.help) this.toggleHelp(false);
    else if (this.masks.cancelPropagation()) return;
    else if (this.store.state.rejecting) this.review.cancelReject();
    else if (this.actions.answer.stopAdding()) return;
    else if (!this.tool?.cancel())
      this.store.update(['ui'], (s) => {
        s.notice = undefined;
      });
  }
}
