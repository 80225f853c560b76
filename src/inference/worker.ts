/**
 * The inference worker process: forked by InferenceClient, speaks the shared channel over IPC.
 * The same script is the SAM encoder's thread (encoderThread.ts) when started as a worker
 * thread with its workerData, so the bundle needs no second entry point.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { CancelRequest, Reply } from '../protocol/envelope';
import { isEncoderThreadData, serveEncoderThread } from './encoderThread';
import { processTransport } from './ipcTransport';
import type { FromWorker, ToWorker } from './messages';
import { WorkerHandler } from './workerHandler';

/** The worker process proper: the channel to the host over the fork's IPC. */
function serveProcess(): void {
  if (!process.send) {
    process.stderr.write(
      'groundwork inference worker: start me with child_process.fork (no IPC channel)\n',
    );
    process.exit(2);
  }
  const transport = processTransport<
    FromWorker | Reply | CancelRequest,
    ToWorker | Reply | CancelRequest
  >();
  // Encoder threads start from this very script, with the options this process got (tsx).
  const handler = new WorkerHandler((envelope) => transport.post(envelope), undefined, {
    script: __filename,
    execArgv: process.execArgv,
  });
  transport.onReceive((envelope) => handler.receive(envelope));
  // The host died or closed the channel: nothing left to answer.
  process.on('disconnect', () => process.exit(0));
  handler.announce(process.pid);
}

if (!isMainThread && isEncoderThreadData(workerData)) serveEncoderThread(workerData);
else serveProcess();
