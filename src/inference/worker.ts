/** The inference worker process: forked by InferenceClient, speaks the protocol of messages.ts over IPC. */
import type { Envelope, HostMessage, WorkerMessage } from './messages';
import { WorkerHandler } from './workerHandler';

if (!process.send) {
  process.stderr.write(
    'groundwork inference worker: start me with child_process.fork (no IPC channel)\n',
  );
  process.exit(2);
}

const send = (m: Envelope<WorkerMessage>): void => {
  process.send?.(m);
};
const handler = new WorkerHandler(send);
process.on('message', (m) => handler.receive(m as Envelope<HostMessage>));
// The host died or closed the channel: nothing left to answer.
process.on('disconnect', () => process.exit(0));
send({ messageId: 0, body: { type: 'ready', pid: process.pid } });
