/**
 * Zod schemas for everything a view may send. The host trusts nothing from a webview or a
 * socket: each envelope is parsed here before it reaches a handler, bounded in size, with
 * unknown keys refused, so a malformed or hostile message is rejected and never applied.
 * The compiler checks that the schema and the message types in messages.ts are the same
 * (`SchemaMatchesMessages` below), so parsing needs no cast and neither can drift.
 */
import { z } from 'zod';
import { EXPORT_FORMATS } from '../core/export/formats';
import type { ViewOp } from '../core/ops';
import type { ViewMessage } from './messages';

// zod's JIT probe reads `navigator`, which VS Code's extension host reports as a pending
// migration error on every activation; the interpreter path is fast enough for messages.
z.config({ jitless: true });

const MAX_TEXT = 1_000_000;
const int = z.int().min(0).max(100_000_000);
const coord = z.number().min(-1e7).max(1e7);
const tag = z.enum(['object', 'area', 'affordance', 'trajectory', 'grasp_pose']);
const source = z.union([
  z.literal('human'),
  z.literal('import'),
  z.custom<`model:${string}`>((v) => typeof v === 'string' && /^model:[\w.:/@+-]{1,200}$/.test(v)),
]);
const point = z.tuple([coord, coord]);

const click = z.strictObject({ x: coord, y: coord, positive: z.boolean() });

const rle = z.strictObject({ size: z.tuple([int, int]), counts: z.string().max(MAX_TEXT) });

const grounding = z.strictObject({
  tag,
  frame: int,
  points: z.array(point).max(10_000),
  size: z.tuple([z.number().positive().max(1e6), z.number().positive().max(1e6)]),
  source,
  mask: rle.optional(),
  score: z.number().min(0).max(1).optional(),
  fromMask: z.boolean().optional(),
});

const sampleStatus = z.enum(['todo', 'in_progress', 'annotated', 'approved', 'rejected']);
const id = z.string().min(1).max(10_000);
const size = z.tuple([z.number().positive().max(1e6), z.number().positive().max(1e6)]);

// Entity ops are intents: the view asks, core's `apply` decides the state (and the ranges).
const entityRef = {
  line: int,
  id,
  entity: int,
  text: z.string().max(10_000).optional(),
  elapsedMs: z.number().min(0).max(1e10).optional(),
};

const leafOp = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('entity/accept'), ...entityRef, size: size.optional() }),
  z.strictObject({
    type: z.literal('entity/draw'),
    ...entityRef,
    tag,
    frame: int,
    points: z.array(point).min(1).max(10_000),
    size,
  }),
  z.strictObject({ type: z.literal('entity/notGroundable'), ...entityRef }),
  z.strictObject({ type: z.literal('entity/kind'), ...entityRef, kind: tag }),
  z.strictObject({ type: z.literal('entity/frame'), ...entityRef, frame: int }),
  z.strictObject({
    type: z.literal('entity/propose'),
    ...entityRef,
    proposal: grounding,
    click: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('mask/set'),
    ...entityRef,
    frame: int,
    mask: rle,
    source,
    score: z.number().min(0).max(1).optional(),
  }),
  z.strictObject({ type: z.literal('mask/clear'), ...entityRef, frame: int }),
  z.strictObject({
    type: z.literal('sample/status'),
    line: int,
    id,
    status: sampleStatus,
    comment: z.string().max(100_000).optional(),
  }),
  z.strictObject({
    type: z.literal('sample/comment'),
    line: int,
    id,
    text: z.string().min(1).max(10_000),
    entity: int.optional(),
  }),
  z.strictObject({
    type: z.literal('sample/comment-edit'),
    line: int,
    id,
    index: int,
    text: z.string().min(1).max(10_000).optional(),
  }),
  z.strictObject({
    type: z.literal('sample/reasoning'),
    line: int,
    id,
    reasoning: z.string().max(MAX_TEXT),
  }),
  z.strictObject({
    type: z.literal('sample/task'),
    line: int,
    id,
    task: z.enum(['trajectory', 'affordance', 'area', 'counting', 'segment', 'general']),
  }),
  z.strictObject({
    type: z.literal('answer/alternate'),
    line: int,
    id,
    action: z.enum(['add', 'remove']),
    frame: int,
    points: z.array(point).min(1).max(10_000).optional(),
    size: size.optional(),
  }),
  // `line/restore` (the host's own inverse) is not here: a view can never send it.
  z.strictObject({ type: z.literal('line/raw'), line: int, raw: z.string().max(MAX_TEXT) }),
]);

// A batch holds leaf ops only: one gesture never needs nesting, and refusing it bounds recursion.
const op = z.union([
  leafOp,
  z.strictObject({ type: z.literal('batch'), ops: z.array(leafOp).min(1).max(1000) }),
]);

const viewMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webview/ready'), line: int.optional() }),
  z.strictObject({ type: z.literal('request/cancel'), requestId: int }),
  z.strictObject({
    type: z.literal('log/write'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().max(10_000),
  }),
  z.strictObject({ type: z.literal('sample/open'), line: int }),
  z.strictObject({ type: z.literal('document/op/apply'), op, label: z.string().max(200) }),
  z.strictObject({ type: z.literal('document/undo') }),
  z.strictObject({ type: z.literal('document/redo') }),
  z.strictObject({ type: z.literal('document/save') }),
  z.strictObject({
    type: z.literal('document/conflict/resolve'),
    choice: z.enum(['reload', 'keep']),
  }),
  z.strictObject({ type: z.literal('dataset/export'), format: z.enum(EXPORT_FORMATS).optional() }),
  z.strictObject({
    type: z.literal('sample/nextTodo/find'),
    after: z.int().min(-1).max(100_000_000),
    open: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('sample/nextReview/find'),
    after: z.int().min(-1).max(100_000_000),
  }),
  z.strictObject({
    type: z.literal('frame/ensure'),
    line: int,
    index: int,
    priority: z.enum(['now', 'soon']),
  }),
  z.strictObject({ type: z.literal('media/proxy/make'), line: int }),
  z.strictObject({ type: z.literal('model/suggest'), line: int, entity: int }),
  z.strictObject({ type: z.literal('model/suggest/cycle'), line: int, entity: int }),
  z
    .strictObject({
      type: z.literal('model/segment'),
      line: int,
      entity: int,
      frame: int,
      clicks: z.array(click).max(64),
      box: z.tuple([coord, coord, coord, coord]).optional(),
    })
    .refine(
      (m) => m.clicks.length > 0 || m.box !== undefined,
      'a model click needs a click or a box',
    ),
  z.strictObject({
    type: z.literal('mask/propagate'),
    line: int,
    entity: int,
    frame: int,
    direction: z.enum(['forward', 'backward', 'both']),
  }),
]);

/** `T` with every array and property readonly: zod infers mutable arrays, our types are readonly. */
type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
/** True when `A` and `B` are assignable both ways. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only for `true`. */
type Assert<T extends true> = T;

/** Compiles only while the schema accepts exactly the message types (ops included). */
export type SchemaMatchesMessages = Assert<
  Equal<Frozen<z.infer<typeof viewMessage>>, Frozen<ViewMessage>>
>;

const envelope = z.strictObject({ messageId: int, inReplyTo: int.optional(), body: z.unknown() });

/** A parsed incoming message, or the reason it was refused. */
export type ParsedViewMessage =
  | { readonly ok: true; readonly messageId: number; readonly body: ViewMessage }
  | { readonly ok: false; readonly messageId?: number; readonly reason: string };

function describe(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parses one incoming envelope from a view. Never throws. */
export function parseViewMessage(raw: unknown): ParsedViewMessage {
  const env = envelope.safeParse(raw);
  if (!env.success) return { ok: false, reason: `bad envelope: ${describe(env.error)}` };
  const body = viewMessage.safeParse(env.data.body);
  if (!body.success) {
    const t = (env.data.body as { type?: unknown } | null)?.type;
    return {
      ok: false,
      messageId: env.data.messageId,
      reason: `bad message${typeof t === 'string' ? ` "${t.slice(0, 60)}"` : ''}: ${describe(body.error)}`,
    };
  }
  return { ok: true, messageId: env.data.messageId, body: body.data };
}

/** Parses a standalone op (used by tests and the serve mode's own checks). */
export function parseOp(raw: unknown): ViewOp | undefined {
  const r = op.safeParse(raw);
  return r.success ? r.data : undefined;
}
