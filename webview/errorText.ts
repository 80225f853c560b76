/** The one way the webview turns a thrown value into banner text. */

/** The message of an Error, else the value as text (a rejected promise may carry anything). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
