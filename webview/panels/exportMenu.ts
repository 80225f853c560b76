/**
 * The header's Export: a menu of the export formats (DESIGN.md section 3), each written
 * beside the saved dataset as `<name>.<format>.jsonl`. The last choice is marked, so the
 * usual export stays two clicks; the VS Code command palette's Export asks the destination.
 */
import { EXPORT_FORMATS } from '../../src/core/export/formats';
import type { ExportFormat } from '../../src/core/export/formats';
import { h } from '../dom';
import { button } from './controls';

const WHAT: Record<ExportFormat, string> = {
  'rynnbrain-raw': 'RynnBrain raw: the reasoning text with its answer items',
  'rynnbrain-sft': 'RynnBrain SFT: a conversation ending in #### <answer>',
  flat: 'flat: one record per grounded entity',
  rynnec: 'RynnEC: object masks tracked across frames',
};

/** The Export button and its menu of formats. */
export class ExportMenu {
  /** The button that opens the menu (enabled when the host can export). */
  readonly toggle: HTMLElement;
  /** The menu (fixed: the header clips what overflows it). */
  readonly menu: HTMLElement;
  private last: ExportFormat = 'rynnbrain-raw';

  constructor(exportDataset: (format: ExportFormat) => void) {
    this.toggle = button(
      'btn-export',
      'Export ▾',
      'Export the saved dataset: choose a format',
      () => (this.menu.hidden ? this.open() : this.close()),
    );
    const items = EXPORT_FORMATS.map((format) => {
      const item = h(
        'button',
        { class: 'export-item', 'data-testid': `export-format-${format}`, role: 'menuitem' },
        h('strong', {}, format),
        h('span', { class: 'export-what' }, WHAT[format]),
      );
      item.addEventListener('click', () => {
        this.last = format;
        this.close();
        exportDataset(format);
      });
      return item;
    });
    this.menu = h(
      'div',
      { class: 'export-menu', 'data-testid': 'export-menu', role: 'menu', hidden: true },
      ...items,
    );
    this.menu.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') this.close();
    });
    document.addEventListener('mousedown', (e) => {
      const inside = this.menu.contains(e.target as Node) || this.toggle.contains(e.target as Node);
      if (!this.menu.hidden && !inside) this.close();
    });
  }

  private open(): void {
    const box = this.toggle.getBoundingClientRect();
    // Right-aligned under the button: Export sits near the header's right edge.
    this.menu.style.right = `${Math.max(0, window.innerWidth - box.right)}px`;
    this.menu.style.top = `${box.bottom + 2}px`;
    for (const item of this.menu.children)
      item.toggleAttribute(
        'data-last',
        item.getAttribute('data-testid') === `export-format-${this.last}`,
      );
    this.menu.hidden = false;
    (this.menu.querySelector('[data-last]') as HTMLElement | null)?.focus();
  }

  private close(): void {
    this.menu.hidden = true;
  }
}
