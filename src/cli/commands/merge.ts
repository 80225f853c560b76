import { resolve } from 'node:path';
import type { DocLine } from '../../core/dataset';
import { isBlank, joinLines } from '../../core/dataset';
import { readSampleFields } from '../../core/sample';
import { AtomicTextWriter } from '../../io/atomicWriter';
import { IdIndex } from '../../io/idIndex';
import { LineLocator } from '../../io/lineLocator';
import { InputFileError } from '../../io/inputFile';
import { openLines, tidyAfterRead } from '../../io/lineReader';
import type { LineSource } from '../../io/lineReader';
import { STDOUT, checkOutputPath } from '../../io/outputPath';
import { stringOption } from '../args';
import type { CliCommand, CliIo } from '../command';
import { CliError, EXIT } from '../command';

const usage = `groundwork merge <a.jsonl> <b.jsonl> ... -o <out.jsonl | ->

Concatenates datasets in the order given, every line as it is. Shards from "groundwork
split" (and prelabel --out-dir) merge back to the original bytes. A BOM is kept only from
the first file; a file whose last line has no line ending gets one; ids that repeat across
files are reported. -o - writes to standard output; -o naming one of the inputs is refused.
Files are streamed: memory holds the ids seen, not the lines.`;

/** Where merged text goes: an atomic file, or standard output. */
interface Sink {
  write(text: string): Promise<void>;
}

/** `groundwork merge`: the inverse of split, and a plain concatenation of datasets. */
export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: 'concatenate datasets or shards, lines kept byte for byte',
  usage,
  valueOptions: ['out'],
  maxPositionals: Infinity,
  async run(args, io) {
    const out = stringOption(args, 'out');
    if (!out || args.positionals.length === 0)
      throw new CliError(`need input files and -o <out.jsonl>\n${usage}`);
    const target = out === STDOUT ? STDOUT : resolve(io.cwd, out);
    const inputs = args.positionals.map((p) => resolve(io.cwd, p));
    if (target !== STDOUT) await checkOutputPath(target, inputs);
    // Every input is opened (and refused) before a byte is written anywhere.
    const sources: LineSource[] = [];
    for (const path of inputs) {
      try {
        sources.push(await openLines(path));
      } catch (e) {
        throw new CliError(e instanceof InputFileError ? e.message : String(e));
      }
    }
    const writer = target === STDOUT ? undefined : await AtomicTextWriter.create(target);
    const sink: Sink = writer ?? {
      write: async (text) => {
        io.stdout.write(text);
      },
    };
    let counts;
    try {
      counts = await concatenate(sources, args.positionals, sink, io);
      await writer?.commit();
    } catch (e) {
      await writer?.abort();
      if (e instanceof InputFileError) throw new CliError(e.message);
      throw e;
    }
    for (const s of sources) await tidyAfterRead(s.path);
    const summary = `${counts.lines} lines from ${sources.length} files${counts.repeats ? `, ${counts.repeats} repeated ids` : ''}`;
    if (target === STDOUT) io.stderr.write(`merged ${summary} to standard output\n`);
    else io.stdout.write(`${target}: ${summary}\n`);
    return counts.repeats ? EXIT.invalid : EXIT.ok;
  },
};

/** Streams every source into `sink` in order; returns the line and repeated-id counts. */
async function concatenate(
  sources: readonly LineSource[],
  names: readonly string[],
  sink: Sink,
  io: CliIo,
): Promise<{ lines: number; repeats: number }> {
  const locator = new LineLocator();
  const ids = new IdIndex((place) => locator.idAt(place));
  let lines = 0,
    repeats = 0;
  // The previous file's last line is held back: it gets a line ending if another line follows.
  let held: DocLine | undefined;
  for (const [k, src] of sources.entries()) {
    if (k === 0 && src.bom) await sink.write('\ufeff');
    else if (src.bom)
      io.stderr.write(`${src.path}: BOM dropped (only the first file's BOM is kept)\n`);
    for await (const batch of locator.batches(src)) {
      if (held) {
        if (held.eol === '' && k > 0 && batch.first === 0) {
          held = { raw: held.raw, eol: '\n' };
          io.stderr.write(`${names[k - 1]}: last line had no line ending; added one\n`);
        }
        await sink.write(held.raw + held.eol);
      }
      for (const [i, l] of batch.lines.entries()) {
        if (isBlank(l.raw)) continue;
        const r = readSampleFields(l.raw);
        if ('message' in r) continue;
        const seen = ids.firstOrAdd(r.fields.id, locator.place(k, batch.first + i));
        if (seen !== undefined) {
          repeats++;
          const first = locator.where(seen);
          io.stderr.write(
            `${src.path}:${batch.first + i + 1}: sample "${r.fields.id}" repeats an id from ${first.path}:${first.line + 1}\n`,
          );
        }
      }
      lines += batch.lines.length;
      held = batch.lines[batch.lines.length - 1];
      await sink.write(joinLines({ bom: false, lines: batch.lines.slice(0, -1) }));
    }
  }
  if (held) await sink.write(held.raw + held.eol);
  return { lines, repeats };
}
