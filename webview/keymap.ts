/**
 * Every key of the editor in one table: each binding names the command it runs, so the
 * keyboard handler dispatches from it and the help overlay lists it, and the two never
 * disagree. Keys follow DESIGN.md section 4.
 */
import type { ToolId } from './state/store';

/** The editor commands a key can run (the editor implements them once). */
export interface KeyCommands {
  cycleEntity(delta: 1 | -1): void;
  setKind(kind: 'object' | 'area'): void;
  accept(): void;
  reject(): void;
  step(delta: number): void;
  /** Plays the clip at its real rate (a frame list: steps its frames); pausing lands on a frame. */
  togglePlay(): void;
  /** The video player view and the frame view, in turn (webview/player). */
  toggleVideoView(): void;
  annotatedNext(): void;
  nextTodo(): void;
  setTool(tool: ToolId): void;
  suggest(): void;
  cycleCandidate(): void;
  /** Goes to the frame the models propose for the active entity (a suggestion never moves the view). */
  jumpToProposal(): void;
  approveSample(): void;
  rejectSample(): void;
  /** Opens the next annotated sample of the review queue (oldest first), in review mode. */
  nextToReview(): void;
  /** Review: shows the model's proposal in place of the final grounding, and back. */
  toggleProposal(): void;
  /** Puts the cursor in the sample's comment box (the thread panel). */
  focusComment(): void;
  fit(): void;
  zoomBy(factor: number): void;
  focusFrameInput(): void;
  toggleHelp(): void;
  /** Closes the help, the reject comment, a gesture in progress or the banner, in that order. */
  escape(): void;
  undo(): void;
  redo(): void;
  save(): void;
  /** The mask commands (webview/maskActions.ts and the propagation). */
  mask(command: MaskCommand): void;
}

/** What a mask key asks for. */
export type MaskCommand =
  | 'toggle'
  | 'opacity'
  | 'brushSmaller'
  | 'brushBigger'
  | 'fillHoles'
  | 'keepLargest'
  | 'clear'
  | 'propagate';

/** One binding: a key (KeyboardEvent.key), modifiers, the command, and its help text. */
export interface KeyBinding {
  readonly key: string;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly run: (commands: KeyCommands) => void;
  readonly label: string;
  readonly help: string;
  /** Only in serve mode (in VS Code these keys belong to VS Code). */
  readonly serveOnly?: boolean;
  /** Left to VS Code inside VS Code, so its own undo, redo and save run. */
  readonly vscodeOwned?: boolean;
  /** Runs when the key is released, and only if it was not held to pan (Space). */
  readonly onRelease?: boolean;
}

/** The bindings, in the order the help overlay lists them. */
export const KEYMAP: readonly KeyBinding[] = [
  { key: 'Tab', run: (cmd) => cmd.cycleEntity(1), label: 'Tab', help: 'next entity' },
  {
    key: 'Tab',
    shift: true,
    run: (cmd) => cmd.cycleEntity(-1),
    label: 'Shift+Tab',
    help: 'previous entity',
  },
  { key: '1', run: (cmd) => cmd.setKind('object'), label: '1', help: 'kind: object (box tool)' },
  { key: '2', run: (cmd) => cmd.setKind('area'), label: '2', help: 'kind: area (points tool)' },
  { key: 'Enter', run: (cmd) => cmd.accept(), label: 'Enter', help: 'accept the proposal' },
  {
    key: 'Delete',
    run: (cmd) => cmd.reject(),
    label: 'Del',
    help: 'not groundable (again: undo that)',
  },
  {
    key: 's',
    run: (cmd) => cmd.suggest(),
    label: 'S',
    help: 'suggest: ask the models for the active entity now (kind, frame, box)',
  },
  {
    key: 'c',
    run: (cmd) => cmd.cycleCandidate(),
    label: 'C',
    help: 'next-best box candidate of the suggestion',
  },
  {
    key: 'j',
    run: (cmd) => cmd.jumpToProposal(),
    label: 'J',
    help: 'jump to the proposed frame (marked on the filmstrip)',
  },
  { key: 'ArrowLeft', run: (cmd) => cmd.step(-1), label: '←', help: 'previous frame' },
  { key: 'ArrowRight', run: (cmd) => cmd.step(1), label: '→', help: 'next frame' },
  {
    key: 'ArrowLeft',
    shift: true,
    run: (cmd) => cmd.step(-10),
    label: 'Shift+←',
    help: '10 frames back',
  },
  {
    key: 'ArrowRight',
    shift: true,
    run: (cmd) => cmd.step(10),
    label: 'Shift+→',
    help: '10 frames forward',
  },
  {
    key: ' ',
    run: (cmd) => cmd.togglePlay(),
    onRelease: true,
    label: 'Space',
    help: 'play / pause the video at its real rate; pausing lands on the nearest sampled frame (frame lists: steps the frames; hold and drag: pan)',
  },
  {
    key: 'v',
    shift: true,
    run: (cmd) => cmd.toggleVideoView(),
    label: 'Shift+V',
    help: 'video player view / frame view (the tools work on the frame view)',
  },
  {
    key: 'Enter',
    ctrl: true,
    run: (cmd) => cmd.annotatedNext(),
    label: 'Ctrl+Enter',
    help: 'sample annotated, open the next todo',
  },
  { key: 'n', run: (cmd) => cmd.nextTodo(), label: 'N', help: 'next todo sample' },
  {
    key: 'a',
    run: (cmd) => cmd.approveSample(),
    label: 'A',
    help: 'review: approve the annotated sample',
  },
  {
    key: 'r',
    run: (cmd) => cmd.rejectSample(),
    label: 'R',
    help: 'review: reject the sample with a comment',
  },
  {
    key: 'n',
    shift: true,
    run: (cmd) => cmd.nextToReview(),
    label: 'Shift+N',
    help: 'next to review: the oldest annotated sample (A and R then move on)',
  },
  {
    key: 'w',
    run: (cmd) => cmd.toggleProposal(),
    label: 'W',
    help: "review: the model's proposals dashed (the active entity's final stays), and back",
  },
  {
    key: 'c',
    shift: true,
    run: (cmd) => cmd.focusComment(),
    label: 'Shift+C',
    help: 'comment on the sample (the thread under the entities; Enter sends)',
  },
  {
    key: 'v',
    run: (cmd) => cmd.setTool('select'),
    label: 'V',
    help: 'select / move / resize tool',
  },
  { key: 'b', run: (cmd) => cmd.setTool('box'), label: 'B', help: 'box tool' },
  {
    key: 'p',
    run: (cmd) => cmd.setTool('points'),
    label: 'P',
    help: 'points tool (right-click or Alt+click a point deletes it)',
  },
  {
    key: 'h',
    run: (cmd) => cmd.setTool('affordance'),
    label: 'H',
    help: 'affordance (hand contact point) tool',
  },
  { key: 't', run: (cmd) => cmd.setTool('trajectory'), label: 'T', help: 'trajectory tool' },
  {
    key: 'm',
    run: (cmd) => cmd.setTool('modelClick'),
    label: 'M',
    help: 'model click tool (SAM): click adds, Shift+click or right-click removes',
  },
  {
    key: 'b',
    shift: true,
    run: (cmd) => cmd.setTool('brush'),
    label: 'Shift+B',
    help: 'mask brush: drag paints into the active entity mask',
  },
  { key: 'e', run: (cmd) => cmd.setTool('eraser'), label: 'E', help: 'mask eraser' },
  { key: '[', run: (cmd) => cmd.mask('brushSmaller'), label: '[', help: 'smaller brush / eraser' },
  { key: ']', run: (cmd) => cmd.mask('brushBigger'), label: ']', help: 'bigger brush / eraser' },
  {
    key: 'l',
    run: (cmd) => cmd.setTool('polygon'),
    label: 'L',
    help: 'mask polygon: click vertices, click the first to add (Shift or Alt: subtract)',
  },
  {
    key: 'x',
    run: (cmd) => cmd.setTool('maskBox'),
    label: 'X',
    help: 'box prompt: drag a box, SAM masks the object inside',
  },
  {
    key: 'f',
    shift: true,
    run: (cmd) => cmd.mask('fillHoles'),
    label: 'Shift+F',
    help: 'fill the holes of the mask',
  },
  {
    key: 'k',
    shift: true,
    run: (cmd) => cmd.mask('keepLargest'),
    label: 'Shift+K',
    help: 'keep the largest part of the mask',
  },
  {
    key: 'Delete',
    shift: true,
    run: (cmd) => cmd.mask('clear'),
    label: 'Shift+Del',
    help: 'clear the mask on this frame',
  },
  { key: 'o', run: (cmd) => cmd.mask('toggle'), label: 'O', help: 'show / hide masks' },
  {
    key: 'o',
    shift: true,
    run: (cmd) => cmd.mask('opacity'),
    label: 'Shift+O',
    help: 'mask opacity: 45%, 70%, 20%, outline only',
  },
  {
    key: 't',
    shift: true,
    run: (cmd) => cmd.mask('propagate'),
    label: 'Shift+T',
    help: 'propagate the mask over the sampled frames, both ways (Esc stops)',
  },
  {
    key: 'f',
    run: (cmd) => cmd.fit(),
    label: 'F',
    help: 'fit the frame (wheel: zoom, middle button or Space+drag: pan)',
  },
  { key: '+', run: (cmd) => cmd.zoomBy(1.25), label: '+', help: 'zoom in' },
  { key: '=', run: (cmd) => cmd.zoomBy(1.25), label: '=', help: 'zoom in' },
  { key: '-', run: (cmd) => cmd.zoomBy(0.8), label: '-', help: 'zoom out' },
  {
    key: 'g',
    run: (cmd) => cmd.focusFrameInput(),
    label: 'G',
    help: 'go to frame (type the number, Enter)',
  },
  { key: '?', run: (cmd) => cmd.toggleHelp(), label: '?', help: 'show / hide this help' },
  {
    key: 'Escape',
    run: (cmd) => cmd.escape(),
    label: 'Esc',
    help: 'cancel the gesture, close the help',
  },
  {
    key: 'z',
    ctrl: true,
    run: (cmd) => cmd.undo(),
    vscodeOwned: true,
    label: 'Ctrl+Z',
    help: "undo (VS Code's own in VS Code)",
  },
  {
    key: 'z',
    ctrl: true,
    shift: true,
    run: (cmd) => cmd.redo(),
    vscodeOwned: true,
    label: 'Ctrl+Shift+Z',
    help: 'redo (also Ctrl+Y)',
  },
  {
    key: 'y',
    ctrl: true,
    run: (cmd) => cmd.redo(),
    vscodeOwned: true,
    label: 'Ctrl+Y',
    help: 'redo',
    serveOnly: true,
  },
  {
    key: 's',
    ctrl: true,
    run: (cmd) => cmd.save(),
    vscodeOwned: true,
    label: 'Ctrl+S',
    help: 'save (atomic)',
  },
];

/** The binding an event matches, if any. Shift is ignored for keys typed with it (`?`, `+`). */
export function matchKey(event: KeyboardEvent): KeyBinding | undefined {
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return KEYMAP.find((binding) => {
    if (binding.key !== key && !(binding.key === key.toUpperCase())) return false;
    if (!!binding.ctrl !== ctrl) return false;
    const shiftMatters = binding.key.length > 1 || /[a-z]/.test(binding.key);
    return !shiftMatters || !!binding.shift === event.shiftKey;
  });
}
