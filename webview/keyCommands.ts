/**
 * What each key command runs: the bridge from webview/keymap.ts (which key) to the editor's
 * parts (what it does). Kept out of app.ts so the layout and the keys read separately.
 */
import type { EditorActions } from './editorActions';
import type { KeyCommands } from './keymap';
import type { MaskActions } from './maskActions';
import type { ModelActions } from './modelActions';
import type { CommentThread } from './panels/commentThread';
import type { Transport } from './panels/transport';
import type { VideoPlayer } from './player/videoPlayer';
import type { ReviewActions } from './reviewActions';
import type { FrameStage } from './stage/frameStage';

/** The parts of the editor the key commands drive. */
export interface KeyCommandParts {
  readonly actions: EditorActions;
  readonly model: ModelActions;
  readonly review: ReviewActions;
  readonly masks: MaskActions;
  readonly player: VideoPlayer;
  readonly view: FrameStage;
  readonly transport: Transport;
  readonly thread: CommentThread;
  /** Shows or hides the help overlay. */
  toggleHelp(): void;
  /** Esc: closes what is open, innermost first. */
  escape(): void;
}

/** The key commands of an editor made of `parts`. */
export function keyCommandsOf(parts: KeyCommandParts): KeyCommands {
  const { actions, model, review, masks, player, view, transport, thread } = parts;
  return {
    cycleEntity: (delta) => actions.cycle(delta),
    setKind: (kind) => actions.setKind(kind),
    accept: () => actions.accept(),
    reject: () => actions.reject(),
    step: (delta) => actions.step(delta),
    togglePlay: () => player.togglePlay(),
    toggleVideoView: () => player.toggleView(),
    annotatedNext: () => void actions.annotatedNext(),
    nextTodo: () => void actions.nextTodo(),
    setTool: (tool) => actions.setTool(tool),
    suggest: () => void model.suggest(),
    cycleCandidate: () => void model.cycle(),
    jumpToProposal: () => model.jumpToProposal(),
    approveSample: () => void review.approve(),
    rejectSample: () => review.askReject(),
    nextToReview: () => void review.nextToReview(),
    toggleProposal: () => review.toggleProposal(),
    focusComment: () => thread.input.focus(),
    fit: () => view.fit(),
    zoomBy: (factor) => view.zoomBy(factor),
    focusFrameInput: () => {
      transport.input.focus();
      transport.input.select();
    },
    toggleHelp: () => parts.toggleHelp(),
    escape: () => parts.escape(),
    undo: () => void actions.undo(),
    redo: () => void actions.redo(),
    save: () => void actions.save(),
    mask: (command) => masks.run(command),
  };
}
