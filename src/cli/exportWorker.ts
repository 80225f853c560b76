/**
 * Entry of an export worker thread (src/io/exportPool.ts): its own frame provider over the
 * run's media roots, one LineExporter, and an outcome per line for every chunk it is sent,
 * answered in the order chunks came. Bundled as dist/exportWorker.js beside the CLI.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { cachedImageFrames } from '../io/exportFrames';
import { LineExporter, packBatch } from '../io/exportLine';
import type { LineOutcome } from '../io/exportLine';
import type { ExportChunk, ExportChunkReply, ExportWorkerSetup } from '../io/exportPool';
import { VideoFrameProvider } from '../video/videoFrameProvider';

const setup = workerData as ExportWorkerSetup;
const exporter = new LineExporter(
  setup.settings,
  cachedImageFrames(new VideoFrameProvider({ mediaRoots: [...setup.mediaRoots] })),
);
const port = parentPort;

// Chunks are worked one after another: the pool keeps one waiting, so the thread never idles.
let work = Promise.resolve();
port?.on('message', (chunk: ExportChunk) => {
  work = work.then(async () => {
    let reply: ExportChunkReply;
    try {
      const outcomes: LineOutcome[] = [];
      const records: string[] = [];
      for (const [k, raw] of chunk.lines.entries())
        outcomes.push(await exporter.line(raw, chunk.first + k, records));
      reply = { seq: chunk.seq, batch: packBatch(chunk.first, chunk.bytes, outcomes, records) };
    } catch (e) {
      reply = { seq: chunk.seq, error: e instanceof Error ? e.message : String(e) };
    }
    // The records' bytes move to the main thread without a copy.
    port.postMessage(reply, 'batch' in reply ? [reply.batch.text.buffer as ArrayBuffer] : []);
  });
});
