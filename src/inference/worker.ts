/** The inference worker process: forked by InferenceClient, speaks the shared channel over IPC. */
import type { CancelRequest, Reply } from '../protocol/envelope';
import { processTransport } from './ipcTransport';
import type { FromWorker, ToWorker } from './messages';
import { WorkerHandler } from './workerHandler';

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
const handler = new WorkerHandler((envelope) => transport.post(envelope));
transport.onReceive((envelope) => handler.receive(envelope));
// The host died or closed the channel: nothing left to answer.
process.on('disconnect', () => process.exit(0));
handler.announce(process.pid);
