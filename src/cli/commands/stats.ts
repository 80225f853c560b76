import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { loadDatasetArg } from '../datasetArg';

const usage = `groundwork stats <dataset.jsonl> [--json]

Counts samples by status and task, items by status, kind and source (answers and standalone
groundings counted apart too), and annotator time per entity.`;

function inc(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/** `groundwork stats`: counts for dashboards and pipelines (`--json`). */
export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'counts by status, kind and source; time per entity',
  usage,
  valueOptions: [],
  booleanOptions: ['json'],
  async run(args, io) {
    const ds = await loadDatasetArg(args, io.cwd, usage);
    const samples: Record<string, number> = {};
    const entities: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    const sources: Record<string, number> = {};
    const media: Record<string, number> = {};
    const tasks: Record<string, number> = {};
    const roles: Record<string, number> = { answer: 0, standalone: 0, entity: 0 };
    const times: number[] = [];
    let entityCount = 0;
    for (const s of ds.samples) {
      inc(samples, s.state.status);
      inc(media, s.fields.video ? 'video' : 'frames');
      inc(tasks, s.task);
      const standalone = new Set(
        s.extraction.entities.filter((e) => e.standalone).map((e) => e.index),
      );
      s.state.entities.forEach((e, i) =>
        inc(roles, e.role === 'answer' ? 'answer' : standalone.has(i) ? 'standalone' : 'entity'),
      );
      for (const e of s.state.entities) {
        entityCount++;
        inc(entities, e.status);
        if (e.kind) inc(kinds, e.kind);
        if (e.grounding) inc(sources, e.grounding.source);
        if (e.timeMs !== undefined) times.push(e.timeMs);
      }
    }
    times.sort((a, b) => a - b);
    const median = times.length ? (times[Math.floor(times.length / 2)] as number) : null;
    const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
    const result = {
      file: ds.path,
      lines: ds.doc.lines.length,
      samples: ds.samples.length,
      invalidLines: ds.problems.length,
      blankLines: ds.blank,
      media,
      sampleStatus: samples,
      tasks,
      entities: entityCount,
      entityStatus: entities,
      items: roles,
      kinds,
      sources,
      timePerEntityMs: { timed: times.length, median, mean },
    };
    if (args.options.json) {
      io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return EXIT.ok;
    }
    const fmt = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-';
    io.stdout.write(
      `${ds.path}\n` +
        `  lines     ${result.lines} (${result.samples} samples, ${result.invalidLines} invalid, ${result.blankLines} blank)\n` +
        `  media     ${fmt(media)}\n` +
        `  samples   ${fmt(samples)}\n` +
        `  tasks     ${fmt(tasks)}\n` +
        `  entities  ${entityCount}: ${fmt(entities)}\n` +
        `  items     ${fmt(roles)}\n` +
        `  kinds     ${fmt(kinds)}\n` +
        `  sources   ${fmt(sources)}\n` +
        `  time      ${times.length ? `median ${Math.round(median ?? 0)} ms, mean ${Math.round(mean ?? 0)} ms over ${times.length} entities` : 'no timings yet'}\n`,
    );
    return EXIT.ok;
  },
};
