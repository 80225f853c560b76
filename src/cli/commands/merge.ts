import { resolve } from 'node:path';
import type { DocLine } from '../../core/dataset';
import { joinLines } from '../../core/dataset';
import { readAllSamples } from '../../core/sample';
import { writeFileAtomic } from '../../io/atomicWriter';
import { DatasetFileError, openDataset } from '../../io/datasetFile';
import { STDOUT, checkOutputPath } from '../../io/outputPath';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';

const usage = `groundwork merge <a.jsonl> <b.jsonl> ... -o <out.jsonl | ->

Concatenates datasets in the order given, every line as it is. Shards from "groundwork
split" merge back to the original bytes. A BOM is kept only from the first file; a file
whose last line has no line ending gets one; ids that repeat across files are reported.
-o - writes to standard output; -o naming one of the inputs is refused.`;

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
    const lines: DocLine[] = [];
    let bom = false;
    const ids = new Map<string, string>();
    let repeats = 0;
    for (const [k, arg] of args.positionals.entries()) {
      const path = resolve(io.cwd, arg);
      let doc;
      try {
        doc = await openDataset(path);
      } catch (e) {
        throw new CliError(e instanceof DatasetFileError ? e.message : String(e));
      }
      if (k === 0) bom = doc.bom;
      else if (doc.bom)
        io.stderr.write(`${path}: BOM dropped (only the first file's BOM is kept)\n`);
      const prev = lines[lines.length - 1];
      if (prev && prev.eol === '' && doc.lines.length) {
        lines[lines.length - 1] = { raw: prev.raw, eol: '\n' };
        io.stderr.write(`${args.positionals[k - 1]}: last line had no line ending; added one\n`);
      }
      for (const s of readAllSamples(doc.lines).samples) {
        const seen = ids.get(s.fields.id);
        if (seen) {
          repeats++;
          io.stderr.write(
            `${path}:${s.line + 1}: sample "${s.fields.id}" repeats an id from ${seen}\n`,
          );
        } else ids.set(s.fields.id, `${path}:${s.line + 1}`);
      }
      lines.push(...doc.lines);
    }
    const summary = `${lines.length} lines from ${args.positionals.length} files${repeats ? `, ${repeats} repeated ids` : ''}`;
    if (target === STDOUT) {
      io.stdout.write(joinLines({ bom, lines }));
      io.stderr.write(`merged ${summary} to standard output\n`);
      return repeats ? EXIT.invalid : EXIT.ok;
    }
    await writeFileAtomic(target, joinLines({ bom, lines }));
    io.stdout.write(
      `${target}: ${lines.length} lines from ${args.positionals.length} files${repeats ? `, ${repeats} repeated ids` : ''}\n`,
    );
    return repeats ? EXIT.invalid : EXIT.ok;
  },
};
