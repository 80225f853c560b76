/** Copies a file atomically and checked: a temp copy, its size compared, then a rename. */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { WriteError, resolveWriteTarget } from './writeFs';

/**
 * Copies `from` to `to` so that `to` is the old file or a complete copy, never a part; a
 * failure (ENOSPC...) removes the temp copy and says so.
 */
export async function copyFileChecked(from: string, to: string): Promise<void> {
  const { real, existed } = await resolveWriteTarget(to);
  const tmp = join(
    dirname(real),
    `.${basename(real)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
  );
  try {
    await fs.copyFile(from, tmp);
    const [src, dst] = await Promise.all([fs.stat(from), fs.stat(tmp)]);
    if (src.size !== dst.size) {
      const e: NodeJS.ErrnoException = new Error(`only ${dst.size} of ${src.size} bytes copied`);
      e.code = 'SHORT';
      throw e;
    }
    await fs.rename(tmp, real);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    const what = code === 'ENOSPC' ? 'disk full' : code === 'SHORT' ? 'short write' : code;
    throw new WriteError(
      `${what} copying ${from} to ${to} (temp ${tmp} removed); ${existed ? 'the old copy is unchanged' : 'no file was written there'}`,
      code,
    );
  }
}
