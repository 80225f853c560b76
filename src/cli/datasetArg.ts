/** The dataset argument every command takes: opened, read, with messages that name the file. */
import { resolve } from 'node:path';
import type { DatasetDoc } from '../core/dataset';
import { readAllSamples } from '../core/sample';
import type { LineProblem, SampleView } from '../core/sample';
import { DatasetFileError, openDataset } from '../io/datasetFile';
import { InputFileError } from '../io/inputFile';
import { isEmptySource, openLines } from '../io/lineReader';
import type { LineSource } from '../io/lineReader';
import type { ParsedArgs } from './command';
import { CliError, EXIT } from './command';

/** An opened dataset with its samples read. */
export interface LoadedDataset {
  readonly path: string;
  readonly doc: DatasetDoc;
  readonly samples: SampleView[];
  readonly problems: LineProblem[];
  readonly blank: number;
}

/** Opens the dataset named by positional `index`; usage and file errors become CliErrors. */
export async function loadDatasetArg(
  args: ParsedArgs,
  cwd: string,
  usage: string,
  index = 0,
): Promise<LoadedDataset> {
  const arg = args.positionals[index];
  if (!arg) throw new CliError(`missing dataset argument\n${usage}`, EXIT.error);
  const path = resolve(cwd, arg);
  let doc: DatasetDoc;
  try {
    doc = await openDataset(path);
  } catch (e) {
    if (e instanceof DatasetFileError) throw new CliError(e.message, EXIT.error);
    throw e;
  }
  if (doc.lines.length === 0)
    throw new CliError(`${path}: is empty (no samples); nothing to do`, EXIT.invalid);
  return { path, doc, ...readAllSamples(doc.lines) };
}

/**
 * Opens the dataset named by positional `index` for streaming (commands that must keep
 * memory bounded read it batch by batch); an empty file is refused as `loadDatasetArg` does.
 */
export async function openDatasetArg(
  args: ParsedArgs,
  cwd: string,
  usage: string,
  index = 0,
): Promise<LineSource> {
  const arg = args.positionals[index];
  if (!arg) throw new CliError(`missing dataset argument\n${usage}`, EXIT.error);
  const path = resolve(cwd, arg);
  let src: LineSource;
  try {
    src = await openLines(path);
  } catch (e) {
    if (e instanceof InputFileError) throw new CliError(e.message, EXIT.error);
    throw e;
  }
  if (isEmptySource(src))
    throw new CliError(`${path}: is empty (no samples); nothing to do`, EXIT.invalid);
  return src;
}
