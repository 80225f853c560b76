/** Tiny DOM helpers: elements with attributes and children, no framework and no innerHTML. */

/** Attributes of `h`: strings set as attributes, `on*` functions as listeners, `false`/undefined skipped. */
export type Attrs = Record<
  string,
  string | number | boolean | undefined | ((event: Event) => void)
>;

/** Creates an element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K];
export function h(
  tag: string,
  attrs?: Attrs,
  ...children: (Node | string | undefined)[]
): HTMLElement;
export function h(
  tag: string,
  attrs: Attrs = {},
  ...children: (Node | string | undefined)[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined) el.append(child);
  return el;
}

/** Sets or removes an attribute (undefined/false removes). */
export function setAttr(el: Element, name: string, value: string | boolean | undefined): void {
  if (value === undefined || value === false) el.removeAttribute(name);
  else el.setAttribute(name, value === true ? '' : value);
}

/** True when keyboard focus is in a text field (keys belong to it, not to the editor). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  return (
    tag === 'textarea' ||
    tag === 'select' ||
    (tag === 'input' && (el as HTMLInputElement).type !== 'button') ||
    el.isContentEditable ||
    tag === 'vscode-textarea' ||
    tag === 'vscode-textfield'
  );
}
