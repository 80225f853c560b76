/**
 * The bytes of the last few frames decoded for the screen, by their cache path, so that
 * `groundwork serve` hands the frame on screen to the page from memory: the file is on disk
 * before the reply (VS Code's webview reads it there), but serving it by name costs a
 * realpath, an open, a stat and a read through libuv's four threads, which the background
 * pass's writes keep busy (reply to image loaded took ~100 ms at load 5, seek probe). A
 * path is here only because this process wrote that frame into its cache.
 */

// A handful: the frame on screen and the ones just before it (4K JPEGs are ~2 MB).
const CAPACITY = 6;
const recent = new Map<string, Buffer>();

/** Remembers the bytes just written to `path` (the newest entry evicts the oldest). */
export function keepRecentFrame(path: string, bytes: Buffer): void {
  recent.delete(path);
  recent.set(path, bytes);
  while (recent.size > CAPACITY) recent.delete(recent.keys().next().value as string);
}

/** The bytes last written to `path` by this process, if it is one of the recent frames. */
export function recentFrame(path: string): Buffer | undefined {
  return recent.get(path);
}
