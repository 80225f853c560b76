/** Test helpers: a session over an in-memory document with a fake media source and a recording view. */
import { splitLines } from '../../../src/core/dataset';
import type { Envelope } from '../../../src/protocol/envelope';
import { EditorSession } from '../../../src/session/editorSession';
import { ViewConnection } from '../../../src/session/viewConnection';
import type { MediaSource } from '../../../src/session/sampleMedia';

/** Three lines: two samples (one with an imported proposal) and a broken line. */
export const TEXT = [
  '{"id": "a", "frames": ["f0.jpg", "f1.jpg"], "reasoning": "A [cup] <object> <frame 1>: (100, 200), (300, 400) </object> on a [table]."}',
  '{"id":"b","frames":["f0.jpg"],"reasoning":"The [floor] is clear."}',
  'not json at all',
  '',
].join('\n');

/** Media that says every frame is 1920x1080. */
export const fakeMedia: MediaSource = {
  async sampleMedia(fields) {
    return {
      kind: 'frames',
      frames: (fields.frames ?? []).map((_, index) => ({
        index,
        uri: `mem://${index}`,
        width: 1920,
        height: 1080,
      })),
    };
  },
  async ensureFrame(_fields, index) {
    return { index, uri: `mem://${index}`, width: 1920, height: 1080 };
  },
  async roots() {
    return [];
  },
};

/** A session plus the log lines it wrote. */
export function makeSession(
  text = TEXT,
  path = '/tmp/none.cop.jsonl',
): { session: EditorSession; logs: string[] } {
  const logs: string[] = [];
  const session = new EditorSession({
    path,
    doc: splitLines(text),
    mode: 'serve',
    media: fakeMedia,
    log: (l, m) => logs.push(`${l}: ${m}`),
  });
  return { session, logs };
}

/** Attaches a view that records every envelope it is sent. */
export function attachView(session: EditorSession): {
  conn: ViewConnection;
  sent: Envelope[];
  send(body: unknown, id?: number): void;
  replyTo(id: number): Promise<Envelope>;
} {
  const sent: Envelope[] = [];
  const waiters: { id: number; resolve(e: Envelope): void }[] = [];
  const conn = new ViewConnection(session, {
    post(e) {
      sent.push(e);
      for (const w of waiters.splice(0)) {
        if (e.inReplyTo === w.id) w.resolve(e);
        else waiters.push(w);
      }
    },
  });
  let next = 1000;
  return {
    conn,
    sent,
    send(body, id = next++) {
      conn.receive({ messageId: id, body });
    },
    replyTo(id) {
      const have = sent.find((e) => e.inReplyTo === id);
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ id, resolve }));
    },
  };
}
