/**
 * The editor keys a person has now: the keybindings package.json contributes, changed by the
 * person's keybindings.json (VS Code gives extensions no API for the resolved bindings, so the
 * file is read; it is JSON with comments and trailing commas). Pure: no vscode, no file system.
 */

/** One keybinding entry, as package.json and keybindings.json write it. */
export interface KeybindingEntry {
  readonly key: string;
  readonly command: string;
  readonly when?: string;
}

/** Strips `//` and block comments (outside strings) and trailing commas, then parses. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    const next = text[at + 1];
    if (inString) {
      out += char;
      if (char === '\\') out += text[++at] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && next === '/') {
      while (at < text.length && text[at] !== '\n') at++;
      out += '\n';
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', at + 2);
      at = end < 0 ? text.length : end + 1;
    } else out += char;
  }
  return JSON.parse(out.replace(/,(\s*[\]}])/g, '$1'));
}

/** The entries of a keybindings.json text; anything that is not an entry is skipped. */
export function readKeybindings(text: string): KeybindingEntry[] {
  if (text.trim() === '') return [];
  const parsed = parseJsonc(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { key, command, when } = item as Record<string, unknown>;
    if (typeof command !== 'string') return [];
    return [
      {
        key: typeof key === 'string' ? normaliseKey(key) : '',
        command,
        ...(typeof when === 'string' ? { when } : {}),
      },
    ];
  });
}

/** VS Code writes keys in any case and order of modifiers; compare them one way. */
export function normaliseKey(key: string): string {
  const order = ['ctrl', 'shift', 'alt', 'meta', 'cmd', 'win'];
  return key
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map((chord) => {
      const parts = chord.split('+');
      const last = parts.pop() ?? '';
      parts.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return [...parts, last].join('+');
    })
    .join(' ');
}

/**
 * Keys per command of `prefix`: the defaults, then the person's entries in file order (an
 * entry adds a key; `-command` with a key removes that key, without one every key).
 */
export function effectiveBindings(
  defaults: readonly KeybindingEntry[],
  user: readonly KeybindingEntry[],
  prefix: string,
): Record<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const entry of defaults)
    if (entry.command.startsWith(prefix))
      keys.set(entry.command, [...(keys.get(entry.command) ?? []), normaliseKey(entry.key)]);
  for (const entry of user) {
    const removing = entry.command.startsWith('-');
    const command = removing ? entry.command.slice(1) : entry.command;
    if (!command.startsWith(prefix)) continue;
    const have = keys.get(command) ?? [];
    if (removing) keys.set(command, entry.key ? have.filter((k) => k !== entry.key) : []);
    else if (entry.key && !have.includes(entry.key)) keys.set(command, [...have, entry.key]);
  }
  return Object.fromEntries(keys);
}
