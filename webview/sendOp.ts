/**
 * The one way the webview sends an edit: an op to the host, whose reply is the document
 * state; a refusal (the rules said no, a stale view) becomes a banner notice naming the
 * gesture. What else the rules did (an approved sample back to annotated) arrives as a notice.
 */
import type { ViewOp } from '../src/core/ops';
import { errorText } from './errorText';
import type { HostClient } from './host/hostClient';

/** Where a refusal is shown (the banner). */
export type Notice = (level: 'info' | 'warn' | 'error', text: string) => void;

/** Sends `op` as one undo step labelled `label`; true when the host applied it. */
export async function sendOp(
  client: HostClient,
  notice: Notice,
  op: ViewOp,
  label: string,
): Promise<boolean> {
  try {
    await client.request({ type: 'document/op/apply', op, label });
    return true;
  } catch (error) {
    notice('error', `${label}: ${errorText(error)}`);
    return false;
  }
}
