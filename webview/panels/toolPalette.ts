/** The tool buttons above the stage, one per tool file, and the zoom controls. */
import { h } from '../dom';
import type { Store, ToolId } from '../state/store';
import { button, setPressed } from './controls';

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
];

/** The tool palette. */
export class ToolPalette {
  readonly el: HTMLElement;
  private readonly buttons = new Map<ToolId, HTMLElement>();

  constructor(
    private readonly store: Store,
    actions: { setTool(tool: ToolId): void; fit(): void; zoom(factor: number): void },
  ) {
    this.el = h('div', { class: 'tools', role: 'toolbar', 'data-testid': 'tool-palette' });
    for (const tool of TOOLS) {
      const control = button(tool.testid ?? `tool-${tool.id}`, tool.label, tool.title, () =>
        actions.setTool(tool.id),
      );
      control.dataset.tool = tool.id;
      this.buttons.set(tool.id, control);
      this.el.append(control);
    }
    this.el.append(
      h('span', { class: 'spacer' }),
      button('btn-zoom-out', '−', 'Zoom out (-)', () => actions.zoom(1 / 1.25)),
      button('btn-fit', 'Fit', 'Fit the frame (F)', actions.fit),
      button('btn-zoom-in', '+', 'Zoom in (+)', () => actions.zoom(1.25)),
    );
    store.subscribe((c) => {
      if (c.has('tool')) this.render();
    });
    this.render();
  }

  private render(): void {
    for (const [id, control] of this.buttons) setPressed(control, id === this.store.state.tool);
  }
}
