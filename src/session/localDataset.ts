/**
 * What opening a dataset from the local disk does besides reading it, for the front that
 * reads through its own file system (VS Code's `workspace.fs` + `decodeDataset`): refuse a
 * FIFO, a device or a temp file before any read (a FIFO would block the read forever), and
 * after a successful read remove leftovers of crashed saves beside it, as `openDataset`
 * does for the command line and serve.
 */
import { DatasetFileError } from '../io/datasetFile';
import { InputFileError, checkInputFile } from '../io/inputFile';
import { removeStaleTemps } from '../io/staleTemps';

/** Throws DatasetFileError (naming the file, nothing read) unless `path` is a regular file. */
export async function checkLocalDataset(path: string): Promise<void> {
  try {
    await checkInputFile(path);
  } catch (e) {
    throw e instanceof InputFileError ? new DatasetFileError(e.message) : e;
  }
}

/** Removes stale temp files of `path` (never a live save's); returns the ones removed. */
export async function tidyLocalDataset(path: string): Promise<string[]> {
  return removeStaleTemps(path).catch(() => []);
}
