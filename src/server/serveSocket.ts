/**
 * One browser tab's socket: messages go to its ViewConnection in the order they came, a
 * save first passes the disk check (a change on disk the session has not seen is merged or
 * the save refused), the page's choice on a clash with the disk goes to the watch, and
 * protocol errors close only this socket.
 */
import type { WebSocket } from 'ws';
import type { Envelope } from '../protocol/envelope';
import { parseViewMessage } from '../protocol/messageSchema';
import type { EditorSession } from '../session/editorSession';
import { ViewConnection } from '../session/viewConnection';
import type { DiskWatch } from './diskWatch';
import { guardSocket } from './wsGuard';

/** The body's type of an envelope-like `msg` (checked in full later), else undefined. */
function bodyType(msg: unknown): unknown {
  const e = msg as Partial<Envelope<{ type?: unknown }>> | null;
  return typeof e === 'object' && e !== null ? e.body?.type : undefined;
}

/** The save request's message id when `msg` is a save, else undefined. */
function saveId(msg: unknown): number | undefined {
  return bodyType(msg) === 'document/save' ? (msg as Partial<Envelope>).messageId : undefined;
}

/** The version a save reply says is on disk; undefined when `e` is not that reply or failed. */
function savedVersion(e: Envelope, id: number): number | undefined | false {
  if (e.inReplyTo !== id) return false;
  const body = e.body as { type?: string; result?: { version?: unknown } };
  const v = body.type === 'reply/ok' ? body.result?.version : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** Wires `ws` to a new view of `session`; `watch` guards its saves when given. */
export function attachSocket(ws: WebSocket, session: EditorSession, watch?: DiskWatch): void {
  guardSocket(ws, (level, message) => session.log(level, message));
  // Save requests forwarded and not answered yet: their replies tell the watch what is on disk.
  const saving = new Set<number>();
  const conn = new ViewConnection(session, {
    post: (e) => {
      for (const id of saving) {
        const v = savedVersion(e, id);
        if (v === false) continue;
        saving.delete(id);
        watch?.savingEnded(v);
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
    },
  });
  const reply = (id: number, body: object): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ messageId: 0, inReplyTo: id, body }));
  };
  /** The page's Reload from disk / Keep mine, answered once the watch has done it. */
  const resolveClash = async (msg: unknown, watch: DiskWatch): Promise<void> => {
    const m = parseViewMessage(msg);
    if (!m.ok || m.body.type !== 'document/conflict/resolve') {
      conn.receive(msg); // refused there, with the reason logged and replied
      return;
    }
    try {
      reply(m.messageId, { type: 'reply/ok', result: await watch.resolve(m.body.choice) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      session.log('warn', message);
      reply(m.messageId, { type: 'reply/error', code: 'refused', message });
    }
  };
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (run: () => void | Promise<void>): void => {
    queue = queue
      .then(run)
      .catch((e: unknown) => session.log('warn', `socket message failed: ${String(e)}`));
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      session.log('warn', 'refused a binary socket message');
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      session.log('warn', 'refused a socket message that is not JSON');
      return;
    }
    const type = bodyType(msg);
    if (watch && type === 'document/conflict/resolve') {
      enqueue(() => resolveClash(msg, watch));
      return;
    }
    if (watch && type === 'webview/ready') {
      // A page that (re)connects gets the open clash with the disk too, if there is one.
      enqueue(() => {
        conn.receive(msg);
        conn.notify(watch.conflict);
      });
      return;
    }
    const id = saveId(msg);
    if (id === undefined || !watch) {
      // Behind a save that waits for its disk check, later messages wait too: order is kept.
      enqueue(() => conn.receive(msg));
      return;
    }
    enqueue(async () => {
      const refusal = await watch.beforeSave().catch((e: unknown) => `not saved: ${String(e)}`);
      if (refusal === undefined) {
        saving.add(id);
        watch.savingStarted();
        conn.receive(msg);
        return;
      }
      session.log('warn', refusal);
      reply(id, { type: 'reply/error', code: 'refused', message: refusal });
    });
  });
  ws.on('close', () => {
    conn.dispose();
    // A closed view gets no replies: its saves must not hold the watch's later checks.
    for (const _id of saving) watch?.savingEnded(undefined);
    saving.clear();
  });
}
