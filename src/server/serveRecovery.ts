/**
 * What `serve` does with a recovery left by a crash: without a choice it refuses to start
 * (starting would write over that work), `--recover` opens it on top of the file (merging
 * lines changed on disk since), `--discard-recovery` deletes it.
 */
import type { DatasetDoc } from '../core/dataset';
import { RecoveryError, RecoveryFile, recoveredDocument } from './recoveryFile';

/** What the person asked for on the command line. */
export type RecoveryChoice = 'recover' | 'discard' | undefined;

/** The recovery slot and, with `--recover`, how to open the document from it. */
export interface RecoveryPlan {
  readonly file: RecoveryFile;
  /** For `makeServeSession`: the recovered document on top of the file as read. */
  readonly recover?: (file: DatasetDoc) => DatasetDoc;
  /** A line for the terminal (what was recovered or discarded). */
  readonly note?: string;
  /** Temp files of the slot left by a killed serve, removed before the slot was read. */
  readonly staleTemps?: readonly string[];
}

/** Looks for a recovery of `datasetPath` and applies `choice`; throws RecoveryError. */
export async function planRecovery(
  datasetPath: string,
  choice: RecoveryChoice,
  dir?: string,
): Promise<RecoveryPlan> {
  const file = await RecoveryFile.of(datasetPath, dir);
  // A serve killed mid-write leaves temps of up to the dataset's size; the slot is as before.
  const stale = await file.removeStaleTemps();
  const tidied = stale.length > 0 ? { staleTemps: stale } : {};
  let found;
  try {
    found = await file.read();
  } catch (e) {
    if (choice !== 'discard')
      throw new RecoveryError(`${(e as Error).message}; start with --discard-recovery to drop it`);
  }
  if (choice === 'discard') {
    await file.remove();
    return found || choice
      ? { file, note: `discarded the recovery of ${file.dataset}`, ...tidied }
      : { file, ...tidied };
  }
  if (!found) {
    if (choice === 'recover')
      throw new RecoveryError(`--recover: there is no recovery of ${file.dataset}`);
    return { file, ...tidied };
  }
  if (choice !== 'recover')
    throw new RecoveryError(
      `unsaved edits of ${file.dataset} from ${found.writtenAt} (serve pid ${found.pid}) were ` +
        `kept in ${found.textPath}. Start again with --recover to open them, or with ` +
        '--discard-recovery to drop them.',
    );
  return {
    file,
    recover: (disk) => recoveredDocument(found, disk),
    note: `recovered unsaved edits from ${found.writtenAt} (${found.textPath}); save to keep them`,
    ...tidied,
  };
}
