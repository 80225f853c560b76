import { basename, resolve } from 'node:path';
import { importCopTrace, importRynnBrainRaw } from '../../core/import';
import type { ImportOptions, ImportedSample } from '../../core/import';
import { stringifyStyled } from '../../core/jsonLine';
import { TASK_TYPES, parseTask } from '../../core/task';
import { writeFileAtomic } from '../../io/atomicWriter';
import { InputFileError, readTextInput } from '../../io/inputFile';
import { STDOUT, checkOutputPath } from '../../io/outputPath';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../command';

const usage = `groundwork import <input> -o <out.cop.jsonl | -> [--from rynnbrain-raw|cop-text]
  [--frames a.jpg,b.jpg | --video v.mp4] [--id-prefix name] [--task <task>]

rynnbrain-raw: JSONL (or a JSON list) of records with a "conversation" of user, Thinking and
  assistant turns; images and video of the user turn become the sample's media.
cop-text: one CoP trace per line (plain text, or JSON with "trace"/"text"/"reasoning"),
  with the media given by --frames or --video.
The format is detected when --from is absent. A grounding tag with no bracketed entity
before it stays as it is: it becomes a standalone item to verify, as when the dataset is read.
--task (${TASK_TYPES.join(', ')}; segmentation and referring mean segment) is written
into every sample; else a record's own "task" is kept, else the task follows the answer's tag.
The assistant turn becomes the answer: its text grounding and its {"frame<n>": [[x, y], ...]}
items, one tag per acceptable frame.
The input must be UTF-8 text (binary files such as images are refused); -o - writes to
standard output; -o naming the input is refused.`;

function detect(text: string): 'rynnbrain-raw' | 'cop-text' {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  return /"conversations?"\s*:/.test(first) || /^\s*\[\s*\{/.test(text)
    ? 'rynnbrain-raw'
    : 'cop-text';
}

/** `groundwork import`: RynnBrain raw reasoning and plain CoP traces into the dataset layout. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'convert RynnBrain raw reasoning or CoP traces into a dataset',
  usage,
  valueOptions: ['out', 'from', 'frames', 'video', 'id-prefix', 'task'],
  async run(args, io) {
    const input = args.positionals[0];
    const out = stringOption(args, 'out');
    if (!input || !out) throw new CliError(`need an input file and -o <out.cop.jsonl>\n${usage}`);
    const path = resolve(io.cwd, input);
    const target = out === STDOUT ? STDOUT : resolve(io.cwd, out);
    if (target !== STDOUT) await checkOutputPath(target, [path]);
    let text: string;
    try {
      text = await readTextInput(path, 'import reads UTF-8 JSONL or text traces');
    } catch (e) {
      throw new CliError(e instanceof InputFileError ? e.message : String(e));
    }
    const taskName = stringOption(args, 'task');
    const task = taskName === undefined ? undefined : parseTask(taskName);
    if (taskName !== undefined && !task)
      throw new CliError(`unknown --task "${taskName}"; one of ${TASK_TYPES.join(', ')}\n${usage}`);
    const opts: ImportOptions = task ? { task } : {};
    const from = stringOption(args, 'from') ?? detect(text);
    const prefix = stringOption(args, 'id-prefix') ?? basename(path).replace(/\.[^.]*$/, '');
    const results: ImportedSample[] = [];
    const errors: string[] = [];
    const media: { frames?: string[]; video?: string } = {};
    const frames = stringOption(args, 'frames');
    const video = stringOption(args, 'video');
    if (frames) media.frames = frames.split(',');
    if (video) media.video = video;
    const lines =
      text.trim().startsWith('[') && from === 'rynnbrain-raw'
        ? (JSON.parse(text) as unknown[]).map((v) => JSON.stringify(v))
        : text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const id = `${prefix}-${String(i + 1).padStart(4, '0')}`;
      try {
        if (from === 'rynnbrain-raw') {
          const v = JSON.parse(line) as Record<string, unknown>;
          results.push(importRynnBrainRaw(v, id, opts));
        } else if (from === 'cop-text') {
          let trace = line;
          if (line.trim().startsWith('{')) {
            const v = JSON.parse(line) as Record<string, unknown>;
            trace = String(v.trace ?? v.text ?? v.reasoning ?? '');
          }
          results.push(importCopTrace(trace, id, media, opts));
        } else throw new CliError(`unknown --from "${from}"; rynnbrain-raw or cop-text`);
      } catch (e) {
        if (e instanceof CliError) throw e;
        errors.push(`${path}:${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    for (const r of results) for (const n of r.notes) io.stderr.write(`note: ${n}\n`);
    for (const e of errors) io.stderr.write(`${e}\n`);
    const style = { item: ', ', key: ': ' };
    const body = results.map((r) => stringifyStyled(r.record, style) + '\n').join('');
    if (target === STDOUT) io.stdout.write(body);
    else await writeFileAtomic(target, body);
    (target === STDOUT ? io.stderr : io.stdout).write(
      `${target === STDOUT ? 'standard output' : target}: ${results.length} samples imported from ${from}${errors.length ? `, ${errors.length} lines failed` : ''}\n`,
    );
    return errors.length ? EXIT.invalid : EXIT.ok;
  },
};
