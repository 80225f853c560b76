/**
 * The CoP grammar (DESIGN.md section 1): parse grounding tags from model text, tolerant of
 * every variant real models emit, and format them canonically. Errors carry offsets and
 * are returned, never thrown.
 */
import type { GroundingTag } from './model';

/** A grounding as it appears in text: a tag, a frame index and normalised integer points. */
export interface CopGrounding {
  readonly tag: GroundingTag;
  readonly frame: number;
  readonly points: readonly (readonly [number, number])[];
}

/** A grounding found in text, with its span [start, end) in UTF-16 offsets. */
export interface CopMatch extends CopGrounding {
  readonly start: number;
  readonly end: number;
}

/** A problem in CoP text: what, and where (UTF-16 offset into the text). */
export interface CopIssue {
  readonly offset: number;
  readonly message: string;
}

/** The result of parsing: every grounding that parsed, and every problem found. */
export interface CopParse {
  readonly groundings: readonly CopMatch[];
  readonly errors: readonly CopIssue[];
}

const ALIASES: Readonly<Record<string, GroundingTag>> = {
  object: 'object',
  area: 'area',
  affordance: 'affordance',
  trajectory: 'trajectory',
  traj: 'trajectory',
  grasp_pose: 'grasp_pose',
};

/** Resolves a tag name or alias (`traj`) to its tag, or undefined. */
function tagFromName(name: string): GroundingTag | undefined {
  return Object.prototype.hasOwnProperty.call(ALIASES, name) ? ALIASES[name] : undefined;
}

const OPEN = /<\s*([A-Za-z_]+)\s*>/y;
const CLOSE = /<\/\s*([A-Za-z_]+)\s*>/y;
const FRAME = /<\s*frame\s*(\d+)\s*>/iy;
const WS = /\s*/y;
// Image placeholders that sit between `<frame n>:` and `;` (`<image>`, `<|image_pad|>`...).
const PLACEHOLDER = /<(?!\/)[^<>\s]*(?:\s[^<>]*)?>/y;
const POINT = /\(\s*([^,()]*?)\s*,\s*([^,()]*?)\s*\)/y;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function skipWs(text: string, at: number): number {
  WS.lastIndex = at;
  WS.exec(text);
  return WS.lastIndex;
}

/** Parses one grounding tag whose `<` is at `at`; undefined when `at` does not open a known tag. */
function parseTagAt(
  text: string,
  at: number,
): { match?: CopMatch; error?: CopIssue; end: number } | undefined {
  const open = matchAt(OPEN, text, at);
  if (!open) return undefined;
  const name = (open[1] as string).toLowerCase();
  const tag = tagFromName(name);
  let p = skipWs(text, at + open[0].length);
  const frame = matchAt(FRAME, text, p);
  if (!tag) {
    // An unknown name only counts as a tag attempt when a frame marker follows it.
    if (!frame) return undefined;
    return {
      error: { offset: at, message: `unknown grounding tag <${name}>` },
      end: at + open[0].length,
    };
  }
  if (!frame)
    return {
      error: { offset: p, message: `<${name}> must be followed by <frame n>` },
      end: at + open[0].length,
    };
  const frameIndex = Number(frame[1]);
  p = skipWs(text, p + frame[0].length);
  // Separators and placeholders in any order: `:`, `;`, `,`, `<image>`.
  for (;;) {
    const c = text[p];
    if (c === ':' || c === ';' || c === ',') {
      p = skipWs(text, p + 1);
      continue;
    }
    if (c === '<' && text[p + 1] !== '/') {
      const ph = matchAt(PLACEHOLDER, text, p);
      if (
        ph &&
        !matchAt(FRAME, text, p) &&
        !matchAt(OPEN, text, p)?.[1]?.match(
          /^(object|area|affordance|trajectory|traj|grasp_pose)$/i,
        )
      ) {
        p = skipWs(text, p + ph[0].length);
        continue;
      }
    }
    break;
  }
  const points: [number, number][] = [];
  for (;;) {
    if (text[p] !== '(') break;
    const pt = matchAt(POINT, text, p);
    if (!pt)
      return {
        error: { offset: p, message: `malformed point in <${name}>, expected (x, y)` },
        end: p + 1,
      };
    for (const [i, raw] of [pt[1] as string, pt[2] as string].entries()) {
      if (!NUMBER.test(raw))
        return {
          error: {
            offset: p,
            message: `bad number "${raw}" for ${i === 0 ? 'x' : 'y'} in <${name}>`,
          },
          end: p + pt[0].length,
        };
    }
    points.push([Number(pt[1]), Number(pt[2])]);
    p = skipWs(text, p + pt[0].length);
    while (text[p] === ',' || text[p] === ';') p = skipWs(text, p + 1);
  }
  const close = matchAt(CLOSE, text, p);
  if (!close)
    return {
      error: { offset: at, message: `unclosed <${name}>: expected </${name}> at offset ${p}` },
      end: at + open[0].length,
    };
  const closeName = (close[1] as string).toLowerCase();
  if (tagFromName(closeName) !== tag)
    return {
      error: { offset: p, message: `<${name}> closed by </${closeName}>` },
      end: p + close[0].length,
    };
  return {
    match: { tag, frame: frameIndex, points, start: at, end: p + close[0].length },
    end: p + close[0].length,
  };
}

// After a broken tag, its own closing tag (if it comes before the next opening tag) is
// part of the same error, not a second "closing without opening" one.
function skipToClose(text: string, at: number, from: number): number {
  const name = matchAt(OPEN, text, at)?.[1]?.toLowerCase() ?? '';
  const re = /<\/?\s*([A-Za-z_]+)\s*>/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const isClose = m[0][1] === '/';
    const n = (m[1] as string).toLowerCase();
    if (!isClose && tagFromName(n)) return from;
    if (isClose && (n === name || tagFromName(n) === tagFromName(name)))
      return m.index + m[0].length;
  }
  return from;
}

/** Parses every grounding tag in `text`; never throws. */
export function parseCop(text: string): CopParse {
  const groundings: CopMatch[] = [];
  const errors: CopIssue[] = [];
  let at = text.indexOf('<');
  while (at >= 0) {
    const r = parseTagAt(text, at);
    let next = at + 1;
    if (r) {
      if (r.match) groundings.push(r.match);
      if (r.error) errors.push(r.error);
      next = Math.max(r.end, at + 1);
      if (!r.match) next = skipToClose(text, at, next);
    } else {
      const close = matchAt(CLOSE, text, at);
      if (close && tagFromName((close[1] as string).toLowerCase())) {
        errors.push({ offset: at, message: `</${close[1]}> without a matching opening tag` });
        next = at + close[0].length;
      }
    }
    at = text.indexOf('<', next);
  }
  return { groundings, errors };
}

/** Canonical text of a grounding: `<object> <frame 7>: (644, 0), (1000, 738) </object>`. */
export function formatCop(g: CopGrounding): string {
  const pts = g.points.map(([x, y]) => `(${x}, ${y})`).join(', ');
  return `<${g.tag}> <frame ${g.frame}>: ${pts} </${g.tag}>`;
}

/** The allowed point counts per tag (DESIGN.md section 1 table). */
export function pointCountRule(tag: GroundingTag): {
  min: number;
  max: number;
  exact?: readonly number[];
  text: string;
} {
  switch (tag) {
    case 'object':
      return { min: 2, max: 2, text: 'exactly 2 (top-left, bottom-right)' };
    case 'area':
      return { min: 1, max: Infinity, text: '1 or more' };
    case 'affordance':
      return { min: 1, max: 1, text: 'exactly 1' };
    case 'trajectory':
      return { min: 2, max: 10, text: '2 to 10' };
    case 'grasp_pose':
      return { min: 2, max: 4, exact: [2, 4], text: '2 or 4' };
  }
}

/** Whether `n` points are allowed for `tag`. */
export function pointCountOk(tag: GroundingTag, n: number): boolean {
  const r = pointCountRule(tag);
  return r.exact ? r.exact.includes(n) : n >= r.min && n <= r.max;
}
