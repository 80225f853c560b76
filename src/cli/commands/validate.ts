import { dirname } from 'node:path';
import type { Issue } from '../../core/validate';
import { duplicateIds, validateSample } from '../../core/validate';
import { defaultMediaRoots, mediaFacts } from '../../io/mediaFacts';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { loadDatasetArg } from '../datasetArg';
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
    const ds = await loadDatasetArg(args, io.cwd, usage);
    const roots = defaultMediaRoots(
      ds.path,
      (stringOption(args, 'media-root') ?? '').split(',').filter(Boolean),
    );
    const issues: Issue[] = ds.problems.map((p) => ({
      severity: 'error',
      code: 'invalid-line',
      line: p.line,
      message: `line ${p.line + 1}: ${p.message}`,
    }));
    issues.push(...duplicateIds(ds.samples));
    const bar = new ProgressBar(io.stderr, 'validate', ds.samples.length);
    const provider = args.options['no-media'] ? undefined : new VideoFrameProvider();
    const counter = provider && videoFrameCounter(provider);
    for (const s of ds.samples) {
      const facts = args.options['no-media']
        ? {}
        : await mediaFacts(s.fields, dirname(ds.path), roots, counter);
      issues.push(
        ...validateSample(s, facts, {
          requireApproved: !!args.options['require-approved'],
          requireGrounded: !!args.options['require-grounded'],
        }),
      );
      if (provider && !facts.missing) {
        const cut = await provider.truncation(s.fields, dirname(ds.path)).catch(() => undefined);
        if (cut)
          issues.push({
            severity: 'warning',
            code: cut.code,
            line: s.line,
            sampleId: s.fields.id,
            message: `sample "${s.fields.id}": ${cut.message}`,
          });
      }
      bar.tick();
    }
    bar.finish();
    issues.sort((a, b) => a.line - b.line);
    const errors = issues.filter((i) => i.severity === 'error').length;
    const strict = args.options.strict === true;
    const failed = errors > 0 || (strict && issues.length > 0);
    if (args.options.json) {
      io.stdout.write(
        JSON.stringify(
          {
            file: ds.path,
            samples: ds.samples.length,
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
        io.stdout.write(`${ds.path}:${i.line + 1}: ${i.severity}: ${i.message}\n`);
      io.stdout.write(
        `${ds.path}: ${ds.samples.length} samples, ${errors} errors, ${issues.length - errors} warnings${strict && failed && !errors ? ' (--strict: warnings count as errors)' : ''}\n`,
      );
    }
    return failed ? EXIT.invalid : EXIT.ok;
  },
};
