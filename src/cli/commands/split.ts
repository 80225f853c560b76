import { basename, dirname, join, resolve } from 'node:path';
import { promises as fs } from 'node:fs';
import { joinLines } from '../../core/dataset';
import { AtomicTextWriter } from '../../io/atomicWriter';
import { tidyAfterRead } from '../../io/lineReader';
import { checkOutputDir, checkOutputPath } from '../../io/outputPath';
import { numberOption, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';
import { openDatasetArg } from '../datasetArg';

const usage = `groundwork split <dataset.jsonl> --shards N [--out-dir dir]

Cuts the file into N contiguous shards at line boundaries (<name>.shard-01-of-N.jsonl ...),
every line kept as it is (blank and invalid lines too, a BOM stays with the first shard).
"groundwork merge" of the shards, in order, gives the input back byte for byte.
All shards are written or none: a failure (a full disk) leaves no shard behind.`;

/** The file name of shard `i` (0-based) of `n` for a dataset file name. */
export function shardName(file: string, i: number, n: number): string {
  const m = /^(.*?)((?:\.cop)?\.jsonl)$/i.exec(file);
  const width = String(n).length;
  const tag = `shard-${String(i + 1).padStart(width, '0')}-of-${n}`;
  return m ? `${m[1]}.${tag}${m[2]}` : `${file}.${tag}`;
}

/** `groundwork split`: contiguous shards for many annotators or machines. */
export const splitCommand: CliCommand = {
  name: 'split',
  summary: 'cut a dataset into N shards (merge gives it back byte for byte)',
  usage,
  valueOptions: ['shards', 'out-dir'],
  async run(args, io) {
    const src = await openDatasetArg(args, io.cwd, usage);
    const n = numberOption(args, 'shards', 0);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`--shards must be a whole number >= 1\n${usage}`);
    const outDir = resolve(io.cwd, stringOption(args, 'out-dir') ?? dirname(src.path));
    await checkOutputDir(outDir, '--out-dir');
    await fs.mkdir(outDir, { recursive: true });
    // Two streaming passes: count the lines (and check every byte), then cut; never the whole file.
    let total = 0;
    for await (const b of src.batches()) total += b.lines.length;
    const per = Math.ceil(total / n);
    const shards: { out: string; lines: number; writer: AtomicTextWriter }[] = [];
    try {
      // All shards are written and checked on disk before any is renamed into place, so a
      // full disk leaves no shard (and no truncated one) behind.
      for (let i = 0; i < n; i++) {
        const out = join(outDir, shardName(basename(src.path), i, n));
        await checkOutputPath(out, [src.path]);
        const writer = await AtomicTextWriter.create(out);
        shards.push({ out, lines: Math.max(0, Math.min(per, total - i * per)), writer });
      }
      if (src.bom) await (shards[0] as (typeof shards)[number]).writer.write('\ufeff');
      for await (const b of src.batches()) {
        for (let k = 0; k < b.lines.length;) {
          const line = b.first + k;
          const shard = Math.floor(line / per);
          if (shard >= n) throw new Error(`${src.path}: grew while being split; run split again`);
          const end = Math.min(b.lines.length, (shard + 1) * per - b.first);
          await (shards[shard] as (typeof shards)[number]).writer.write(
            joinLines({ bom: false, lines: b.lines.slice(k, end) }),
          );
          k = end;
        }
      }
      for (const s of shards) await s.writer.prepare();
    } catch (e) {
      for (const s of shards) await s.writer.abort();
      const msg = e instanceof Error ? e.message : String(e);
      throw new CliError(`${msg}\nsplit: no shard was written (all ${n} temp files removed)`);
    }
    const done: string[] = [];
    for (const s of shards) {
      try {
        await s.writer.publish();
      } catch (e) {
        for (const rest of shards.slice(done.length + 1)) await rest.writer.abort();
        const msg = e instanceof Error ? e.message : String(e);
        throw new CliError(
          `${msg}\nsplit: stopped after ${done.length} of ${n} shards; written: ${done.join(', ') || 'none'}`,
        );
      }
      done.push(s.out);
      io.stdout.write(`${s.out}: ${s.lines} lines\n`);
    }
    await tidyAfterRead(src.path);
    if (n > total) io.stderr.write(`note: ${n} shards for ${total} lines; some shards are empty\n`);
    return EXIT.ok;
  },
};
