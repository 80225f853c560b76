/**
 * The transport under the inference worker's MessageChannel: child_process IPC, from the
 * host's side (a forked child) and the worker's (its own process). Both ends are this
 * bundle and IPC uses structured clone, so envelopes arrive as they were posted.
 */
import type { ChildProcess } from 'node:child_process';
import type { Envelope } from '../protocol/envelope';

/** Posts envelopes to the peer and hands on the ones it sends. */
export interface Transport<Out, In> {
  /** Sends one envelope; false when the peer is gone (the message is dropped). */
  post(envelope: Envelope<Out>): boolean;
  /** Registers the receiver of every envelope from the peer. */
  onReceive(receiver: (envelope: Envelope<In>) => void): void;
}

/** The host's end: envelopes to and from a forked worker process. */
export function childTransport<Out, In>(child: ChildProcess): Transport<Out, In> {
  return {
    post(envelope) {
      if (!child.connected) return false;
      try {
        child.send(envelope);
        return true;
      } catch {
        // The channel closed between the check and the send; 'exit' settles what is pending.
        return false;
      }
    },
    onReceive(receiver) {
      child.on('message', (envelope: Envelope<In>) => receiver(envelope));
    },
  };
}

/** The worker's end: envelopes to and from the parent through this process's IPC channel. */
export function processTransport<Out, In>(): Transport<Out, In> {
  return {
    post(envelope) {
      if (!process.send || !process.connected) return false;
      process.send(envelope);
      return true;
    },
    onReceive(receiver) {
      process.on('message', (envelope: Envelope<In>) => receiver(envelope));
    },
  };
}
