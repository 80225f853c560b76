/**
 * The seam between the editor UI and whatever hosts it (GitLens's HostContext): the VS Code
 * webview API or the serve mode's WebSocket. UI code never calls acquireVsCodeApi itself,
 * so tests and the browser host swap this one object.
 */
import type { Envelope } from '../../src/protocol/envelope';
import type { HostMode } from '../../src/protocol/snapshot';

/** What the UI may persist across a hide/show of the webview. */
export interface PersistedState {
  readonly line?: number;
}

/** A host the editor UI talks to. */
export interface HostContext {
  readonly mode: HostMode;
  /** Posts an envelope to the host. */
  post(envelope: Envelope): void;
  /** Registers the receiver of every envelope the host sends. */
  onMessage(listener: (envelope: Envelope) => void): void;
  /** Registers a callback for a (re)connection, after which `webview/ready` must be sent again. */
  onConnect(listener: () => void): void;
  /** Registers a callback for a lost connection (serve's socket closed; VS Code: never). */
  onDisconnect(listener: () => void): void;
  getState(): PersistedState;
  setState(state: PersistedState): void;
}
