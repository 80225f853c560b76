/**
 * Every key of the editor in one table: the keyboard handler dispatches from it and the
 * help overlay lists it, so the two never disagree. Keys follow DESIGN.md section 4.
 */

/** The actions keys can trigger. */
export type KeyAction =
  | 'nextEntity'
  | 'prevEntity'
  | 'kindObject'
  | 'kindArea'
  | 'accept'
  | 'reject'
  | 'prevFrame'
  | 'nextFrame'
  | 'prev10'
  | 'next10'
  | 'play'
  | 'annotatedNext'
  | 'nextTodo'
  | 'toolSelect'
  | 'toolBox'
  | 'toolPoints'
  | 'toolAffordance'
  | 'toolTrajectory'
  | 'toolModelClick'
  | 'suggest'
  | 'cycleCandidate'
  | 'approveSample'
  | 'rejectSample'
  | 'fit'
  | 'zoomIn'
  | 'zoomOut'
  | 'gotoFrame'
  | 'help'
  | 'escape'
  | 'undo'
  | 'redo'
  | 'save';

/** One binding: a key (KeyboardEvent.key), modifiers, the action, and its help text. */
export interface KeyBinding {
  readonly key: string;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly action: KeyAction;
  readonly label: string;
  readonly help: string;
  /** Only in serve mode (in VS Code these keys belong to VS Code). */
  readonly serveOnly?: boolean;
}

/** The bindings, in the order the help overlay lists them. */
export const KEYMAP: readonly KeyBinding[] = [
  { key: 'Tab', action: 'nextEntity', label: 'Tab', help: 'next entity' },
  { key: 'Tab', shift: true, action: 'prevEntity', label: 'Shift+Tab', help: 'previous entity' },
  { key: '1', action: 'kindObject', label: '1', help: 'kind: object (box tool)' },
  { key: '2', action: 'kindArea', label: '2', help: 'kind: area (points tool)' },
  { key: 'Enter', action: 'accept', label: 'Enter', help: 'accept the proposal' },
  { key: 'Delete', action: 'reject', label: 'Del', help: 'not groundable (again: undo that)' },
  {
    key: 's',
    action: 'suggest',
    label: 'S',
    help: 'suggest: ask the models for the active entity now (kind, frame, box)',
  },
  {
    key: 'c',
    action: 'cycleCandidate',
    label: 'C',
    help: 'next-best box candidate of the suggestion',
  },
  { key: 'ArrowLeft', action: 'prevFrame', label: '←', help: 'previous frame' },
  { key: 'ArrowRight', action: 'nextFrame', label: '→', help: 'next frame' },
  { key: 'ArrowLeft', shift: true, action: 'prev10', label: 'Shift+←', help: '10 frames back' },
  { key: 'ArrowRight', shift: true, action: 'next10', label: 'Shift+→', help: '10 frames forward' },
  {
    key: ' ',
    action: 'play',
    label: 'Space',
    help: 'play / pause the sampled frames (hold and drag: pan)',
  },
  {
    key: 'Enter',
    ctrl: true,
    action: 'annotatedNext',
    label: 'Ctrl+Enter',
    help: 'sample annotated, open the next todo',
  },
  { key: 'n', action: 'nextTodo', label: 'N', help: 'next todo sample' },
  { key: 'a', action: 'approveSample', label: 'A', help: 'review: approve the annotated sample' },
  {
    key: 'r',
    action: 'rejectSample',
    label: 'R',
    help: 'review: reject the sample with a comment',
  },
  { key: 'v', action: 'toolSelect', label: 'V', help: 'select / move / resize tool' },
  { key: 'b', action: 'toolBox', label: 'B', help: 'box tool' },
  {
    key: 'p',
    action: 'toolPoints',
    label: 'P',
    help: 'points tool (right-click or Alt+click a point deletes it)',
  },
  { key: 'h', action: 'toolAffordance', label: 'H', help: 'affordance (hand contact point) tool' },
  { key: 't', action: 'toolTrajectory', label: 'T', help: 'trajectory tool' },
  {
    key: 'm',
    action: 'toolModelClick',
    label: 'M',
    help: 'model click tool (SAM): click adds, Shift+click or right-click removes',
  },
  {
    key: 'f',
    action: 'fit',
    label: 'F',
    help: 'fit the frame (wheel: zoom, middle button or Space+drag: pan)',
  },
  { key: '+', action: 'zoomIn', label: '+', help: 'zoom in' },
  { key: '=', action: 'zoomIn', label: '=', help: 'zoom in' },
  { key: '-', action: 'zoomOut', label: '-', help: 'zoom out' },
  { key: 'g', action: 'gotoFrame', label: 'G', help: 'go to frame (type the number, Enter)' },
  { key: '?', action: 'help', label: '?', help: 'show / hide this help' },
  { key: 'Escape', action: 'escape', label: 'Esc', help: 'cancel the gesture, close the help' },
  {
    key: 'z',
    ctrl: true,
    action: 'undo',
    label: 'Ctrl+Z',
    help: "undo (VS Code's own in VS Code)",
  },
  {
    key: 'z',
    ctrl: true,
    shift: true,
    action: 'redo',
    label: 'Ctrl+Shift+Z',
    help: 'redo (also Ctrl+Y)',
  },
  { key: 'y', ctrl: true, action: 'redo', label: 'Ctrl+Y', help: 'redo', serveOnly: true },
  { key: 's', ctrl: true, action: 'save', label: 'Ctrl+S', help: 'save (atomic)' },
];

/** The binding an event matches, if any. Shift is ignored for keys that are typed with it (`?`, `+`). */
export function matchKey(e: KeyboardEvent): KeyBinding | undefined {
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return KEYMAP.find((b) => {
    if (b.key !== key && !(b.key === key.toUpperCase())) return false;
    if (!!b.ctrl !== ctrl) return false;
    const shiftMatters = b.key.length > 1 || /[a-z]/.test(b.key);
    return !shiftMatters || !!b.shift === e.shiftKey;
  });
}
