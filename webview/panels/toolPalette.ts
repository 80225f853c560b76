/**
 * The tool buttons above the stage, one per tool file, the mask actions (clean-ups,
 * show/hide, propagate with its progress and stop) and the zoom controls.
 */
import { h } from '../dom';
import type { MaskCommand } from '../keymap';
import type { Store, ToolId } from '../state/store';
import { button, setEnabled, setPressed } from './controls';

const TOOLS: readonly { id: ToolId; label: string; title: string; testid?: string }[] = [
  { id: 'select', label: 'Select', title: 'Select / move / resize (V)' },
  { id: 'box', label: 'Box', title: 'Box (B): the object kind' },
  {
    id: 'points',
    label: 'Points',
    title: 'Points (P): the area kind; right-click a point to delete it',
  },
  { id: 'affordance', label: 'Contact', title: 'Affordance contact point (H)' },
  { id: 'trajectory', label: 'Path', title: 'Trajectory polyline (T)' },
  {
    id: 'graspPose',
    label: 'Grasp',
    title: 'Grasp pose: 2 or 4 corners of the oriented rectangle',
    testid: 'tool-grasp-pose',
  },
  {
    id: 'modelClick',
    label: 'Model click',
    title: 'Model click (M): SAM mask from clicks; left adds, Shift+left or right removes',
    testid: 'tool-model-click',
  },
  { id: 'brush', label: 'Brush', title: 'Mask brush (Shift+B); [ and ] size it' },
  { id: 'eraser', label: 'Eraser', title: 'Mask eraser (E); [ and ] size it' },
  {
    id: 'polygon',
    label: 'Polygon',
    title: 'Mask polygon (L): click vertices, click the first to add; Shift or Alt subtracts',
  },
  {
    id: 'maskBox',
    label: 'Box prompt',
    title: 'Box prompt (X): drag a box, SAM masks the object inside',
    testid: 'tool-mask-box',
  },
  {
    id: 'count',
    label: 'Count',
    title: 'Count (counting answers): click each instance; the count is the number of clicks',
  },
];

const MASK_ACTIONS: readonly { command: MaskCommand; label: string; title: string }[] = [
  { command: 'fillHoles', label: 'Fill holes', title: 'Fill the holes of the mask (Shift+F)' },
  { command: 'keepLargest', label: 'Largest', title: 'Keep the largest part (Shift+K)' },
  { command: 'clear', label: 'Clear', title: 'Clear the mask on this frame (Shift+Del)' },
  { command: 'toggle', label: 'Masks', title: 'Show / hide masks (O); Shift+O: opacity' },
];

/** What the palette's buttons run. */
export interface ToolPaletteActions {
  setTool(tool: ToolId): void;
  fit(): void;
  zoom(factor: number): void;
  mask(command: MaskCommand): void;
  stopPropagation(): void;
}

/** The tool palette. */
export class ToolPalette {
  readonly el: HTMLElement;
  private readonly buttons = new Map<ToolId, HTMLElement>();
  private readonly brushSize: HTMLElement;
  private readonly masksButton: HTMLElement;
  private readonly propagate: HTMLElement;
  private readonly stop: HTMLElement;
  private readonly progress: HTMLElement;

  constructor(
    private readonly store: Store,
    actions: ToolPaletteActions,
  ) {
    this.el = h('div', { class: 'tools', role: 'toolbar', 'data-testid': 'tool-palette' });
    // Tools and mask actions take more than one row on a narrow window.
    this.el.style.flexWrap = 'wrap';
    for (const tool of TOOLS) {
      const control = button(tool.testid ?? `tool-${tool.id}`, tool.label, tool.title, () =>
        actions.setTool(tool.id),
      );
      control.dataset.tool = tool.id;
      this.buttons.set(tool.id, control);
      this.el.append(control);
    }
    this.brushSize = h('span', {
      class: 'brush-size',
      'data-testid': 'brush-size',
      title: 'brush / eraser radius in frame pixels ([ smaller, ] bigger)',
    });
    const maskButtons = MASK_ACTIONS.map((action) =>
      button(`mask-${action.command}`, action.label, action.title, () =>
        actions.mask(action.command),
      ),
    );
    this.masksButton = maskButtons[maskButtons.length - 1] as HTMLElement;
    this.propagate = button(
      'mask-propagate',
      'Propagate',
      'Propagate the mask from this frame over the sampled frames, both ways (Shift+T)',
      () => actions.mask('propagate'),
    );
    this.stop = button('mask-propagate-stop', 'Stop', 'Stop the propagation (Esc)', () =>
      actions.stopPropagation(),
    );
    this.progress = h('span', { class: 'propagate-progress', 'data-testid': 'propagate-progress' });
    this.el.append(
      this.brushSize,
      ...maskButtons,
      this.propagate,
      this.stop,
      this.progress,
      h('span', { class: 'spacer' }),
      button('btn-zoom-out', '−', 'Zoom out (-)', () => actions.zoom(1 / 1.25)),
      button('btn-fit', 'Fit', 'Fit the frame (F)', actions.fit),
      button('btn-zoom-in', '+', 'Zoom in (+)', () => actions.zoom(1.25)),
    );
    store.subscribe((c) => {
      if (c.has('tool') || c.has('ui')) this.render();
    });
    this.render();
  }

  private render(): void {
    const state = this.store.state;
    for (const [id, control] of this.buttons) setPressed(control, id === state.tool);
    const painting = state.tool === 'brush' || state.tool === 'eraser';
    this.brushSize.hidden = !painting;
    this.brushSize.textContent = `r ${state.masks.brushRadius} px`;
    setPressed(this.masksButton, state.masks.visible);
    const run = state.propagating;
    this.stop.hidden = !run;
    setEnabled(this.propagate, !run);
    this.progress.textContent = run ? `propagating ${run.done}/${run.total}` : '';
    this.progress.dataset.running = String(run !== undefined);
  }
}
