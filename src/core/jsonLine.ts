/**
 * One JSONL line, edited without disturbing its bytes: top-level members are located by a
 * small scanner so that changing one key rewrites only that key's value. Key order,
 * spacing, escapes and every other member stay exactly as they were.
 */

/** The outcome of parsing one line: an object, or a message saying what is wrong. */
export type LineParse =
  { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Parses a line as a JSON object; arrays, scalars and broken JSON get a clear message. */
export function parseLine(raw: string): LineParse {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (Array.isArray(value))
    return { ok: false, message: 'a JSON array, expected an object with "id" and "reasoning"' };
  if (value === null || typeof value !== 'object')
    return {
      ok: false,
      message: `a JSON ${value === null ? 'null' : typeof value}, expected an object`,
    };
  return { ok: true, value: value as Record<string, unknown> };
}

interface Member {
  readonly key: string;
  /** Offset of the member's key quote and one past its value. */
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

function skipString(s: string, i: number): number {
  // `i` is at the opening quote; returns one past the closing quote.
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return s.length;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return i;
}

function skipValue(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"') {
      j = skipString(s, j) - 1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return trimEnd(s, i, j);
      depth--;
    } else if (c === ',' && depth === 0) return trimEnd(s, i, j);
  }
  return s.length;
}

function trimEnd(s: string, from: number, to: number): number {
  while (to > from && /\s/.test(s[to - 1] as string)) to--;
  return to;
}

/** Locates the top-level members of a line that is a valid JSON object. */
function members(s: string): { members: Member[]; open: number; close: number } {
  const open = s.indexOf('{');
  const out: Member[] = [];
  let i = skipWs(s, open + 1);
  while (i < s.length && s[i] === '"') {
    const keyEnd = skipString(s, i);
    const key = JSON.parse(s.slice(i, keyEnd)) as string;
    const colon = skipWs(s, keyEnd);
    const valueStart = skipWs(s, colon + 1);
    const valueEnd = skipValue(s, valueStart);
    out.push({ key, start: i, valueStart, valueEnd });
    i = skipWs(s, valueEnd);
    if (s[i] === ',') i = skipWs(s, i + 1);
  }
  return { members: out, open, close: s.lastIndexOf('}') };
}

/** The separators a line uses (`", "` and `": "` for Python's json.dumps, none for JSON.stringify). */
function detectStyle(raw: string): { item: string; key: string } {
  const m = members(raw).members;
  if (m.length >= 2) {
    const a = m[0] as Member;
    const b = m[1] as Member;
    const between = raw.slice(a.valueEnd, b.start);
    const keyPart = raw.slice(a.start, a.valueStart);
    return { item: between.includes(', ') ? ', ' : ',', key: /:\s/.test(keyPart) ? ': ' : ':' };
  }
  return { item: ', ', key: ': ' };
}

/** JSON text of `value` with the given separators; keys keep insertion order. */
export function stringifyStyled(value: unknown, style: { item: string; key: string }): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => stringifyStyled(v === undefined ? null : v, style)).join(style.item)}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}${style.key}${stringifyStyled(v, style)}`);
  }
  return `{${parts.join(style.item)}}`;
}

/**
 * Sets (or, with `undefined`, removes) one top-level key of a line that parses as an object,
 * touching no other byte. A new key goes last, written in the line's own style.
 */
export function setTopLevelKey(raw: string, key: string, value: unknown): string {
  const style = detectStyle(raw);
  const { members: ms, close } = members(raw);
  const idx = ms.map((m) => m.key).lastIndexOf(key);
  if (idx >= 0) {
    const m = ms[idx] as Member;
    if (value !== undefined)
      return raw.slice(0, m.valueStart) + stringifyStyled(value, style) + raw.slice(m.valueEnd);
    // Removing: take the separator before it (or after it, when it is the first member).
    if (idx > 0) return raw.slice(0, (ms[idx - 1] as Member).valueEnd) + raw.slice(m.valueEnd);
    const next = ms[idx + 1];
    return (
      raw.slice(0, m.start) + (next ? raw.slice(next.start) : raw.slice(skipWs(raw, m.valueEnd)))
    );
  }
  if (value === undefined) return raw;
  const member = `${JSON.stringify(key)}${style.key}${stringifyStyled(value, style)}`;
  const last = ms[ms.length - 1];
  if (!last) return raw.slice(0, close) + member + raw.slice(close);
  return raw.slice(0, last.valueEnd) + style.item + member + raw.slice(last.valueEnd);
}
