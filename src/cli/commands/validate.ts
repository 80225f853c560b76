import { dirname } from 'node:path';
import { isBlank } from '../../core/dataset';
import { isProblem, readSample } from '../../core/sample';
import type { SampleView } from '../../core/sample';
import type { Issue, MediaFacts } from '../../core/validate';
import { duplicateIds, validateSample } from '../../core/validate';
import { IdIndex } from '../../io/idIndex';
import { LineLocator } from '../../io/lineLocator';
import { tidyAfterRead } from '../../io/lineReader';
import { defaultMediaRoots, mediaFacts } from '../../io/mediaFacts';
import { stringOption } from '../args';
import type { CliCommand, ParsedArgs } from '../command';
import { EXIT } from '../command';
import { openDatasetArg } from '../datasetArg';
import { videoFrameCounter } from '../media';
import { VideoFrameProvider } from '../../video/videoFrameProvider';
import { ProgressBar } from '../progress';

const usage = `groundwork validate <dataset.jsonl> [--json] [--strict] [--require-approved] [--require-grounded]
  [--media-root dir[,dir]] [--no-media]

Checks every line: JSON, ids, reasoning brackets and tags, groundings (frame range, point
counts, boxes, points inside the frame), media (present, inside the media roots, videos
not truncated: a warning gives the decodable span).
--strict   warnings count as errors (for pipelines that must stop on any finding)
Exit 0: no errors (with --strict: no errors and no warnings); 1: errors found (with
--strict: errors or warnings); 2: usage error, or the file could not be read.`;

/** `groundwork validate`: every rule of issue 2, messages naming file, line and sample. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a dataset: lines, ids, groundings, media',
  usage,
  valueOptions: ['media-root'],
  booleanOptions: ['json', 'strict', 'require-approved', 'require-grounded', 'no-media'],
  async run(args, io) {
    const src = await openDatasetArg(args, io.cwd, usage);
    const roots = defaultMediaRoots(
      src.path,
      (stringOption(args, 'media-root') ?? '').split(',').filter(Boolean),
    );
    const issues: Issue[] = [];
    // Only ids are kept between lines (for repeats), ~20 bytes each (idIndex.ts); a
    // fingerprint match is checked against the earlier line, read back through the locator.
    const locator = new LineLocator();
    const firstLine = new IdIndex((place) => locator.idAt(place));
    const bar = new ProgressBar(io.stderr, 'validate', src.bytes);
    const provider = args.options['no-media'] ? undefined : new VideoFrameProvider();
    const counter = provider && videoFrameCounter(provider);
    let samples = 0;
    for await (const batch of locator.batches(src)) {
      for (const [k, l] of batch.lines.entries()) {
        const line = batch.first + k;
        if (isBlank(l.raw)) continue;
        const s = readSample(l.raw, line);
        if (isProblem(s)) {
          issues.push({
            severity: 'error',
            code: 'invalid-line',
            line,
            message: `line ${line + 1}: ${s.message}`,
          });
          continue;
        }
        samples++;
        const prev = firstLine.firstOrAdd(s.fields.id, line);
        if (prev !== undefined) issues.push(duplicateIssue(s, prev));
        issues.push(...(await sampleIssues(s, args, src.path, roots, provider, counter)));
      }
      bar.tick(batch.bytes);
    }
    bar.finish();
    await tidyAfterRead(src.path);
    issues.sort((a, b) => a.line - b.line);
    const errors = issues.filter((i) => i.severity === 'error').length;
    const strict = args.options.strict === true;
    const failed = errors > 0 || (strict && issues.length > 0);
    if (args.options.json) {
      io.stdout.write(
        JSON.stringify(
          {
            file: src.path,
            samples,
            errors,
            warnings: issues.length - errors,
            strict,
            issues,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      for (const i of issues)
        io.stdout.write(`${src.path}:${i.line + 1}: ${i.severity}: ${i.message}\n`);
      io.stdout.write(
        `${src.path}: ${samples} samples, ${errors} errors, ${issues.length - errors} warnings${strict && failed && !errors ? ' (--strict: warnings count as errors)' : ''}\n`,
      );
    }
    return failed ? EXIT.invalid : EXIT.ok;
  },
};

/** The repeated-id issue, worded as core's duplicateIds words it (one sample pair at a time). */
function duplicateIssue(s: SampleView, prevLine: number): Issue {
  const fake = { ...s, line: prevLine };
  return duplicateIds([fake, s])[0] as Issue;
}

/** The issues of one sample: its rules, its media facts, a truncated video. */
async function sampleIssues(
  s: SampleView,
  args: ParsedArgs,
  datasetPath: string,
  roots: readonly string[],
  provider: VideoFrameProvider | undefined,
  counter: ReturnType<typeof videoFrameCounter> | undefined,
): Promise<Issue[]> {
  const facts: MediaFacts = provider
    ? await mediaFacts(s.fields, dirname(datasetPath), roots, counter)
    : {};
  const issues = validateSample(s, facts, {
    requireApproved: !!args.options['require-approved'],
    requireGrounded: !!args.options['require-grounded'],
  });
  if (provider && !facts.missing) {
    const cut = await provider.truncation(s.fields, dirname(datasetPath)).catch(() => undefined);
    if (cut)
      issues.push({
        severity: 'warning',
        code: cut.code,
        line: s.line,
        sampleId: s.fields.id,
        message: `sample "${s.fields.id}": ${cut.message}`,
      });
  }
  return issues;
}
