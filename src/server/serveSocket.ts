/**
 * One browser tab's socket: messages go to its ViewConnection in the order they came, a
 * save first passes the disk check (a change on disk the session has not seen is merged or
 * the save refused), and protocol errors close only this socket.
 */
import type { WebSocket } from 'ws';
import type { Envelope } from '../protocol/envelope';
import type { EditorSession } from '../session/editorSession';
import { ViewConnection } from '../session/viewConnection';
import type { DiskWatch } from './diskWatch';
import { guardSocket } from './wsGuard';

/** The save request's message id when `msg` is a save, else undefined. */
function saveId(msg: unknown): number | undefined {
  const e = msg as Partial<Envelope<{ type?: unknown }>> | null;
  return typeof e === 'object' && e !== null && e.body?.type === 'document/save'
    ? e.messageId
    : undefined;
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
      if (ws.readyState === ws.OPEN)
        ws.send(
          JSON.stringify({
            messageId: 0,
            inReplyTo: id,
            body: { type: 'reply/error', code: 'refused', message: refusal },
          }),
        );
    });
  });
  ws.on('close', () => {
    conn.dispose();
    // A closed view gets no replies: its saves must not hold the watch's later checks.
    for (const _id of saving) watch?.savingEnded(undefined);
    saving.clear();
  });
}
