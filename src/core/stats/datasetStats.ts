/**
 * Everything `groundwork stats` reports about one dataset, computed once for the CLI, the
 * HTML report and the VS Code dashboard: counts by status, task, kind and source, time per
 * entity, and the quality statistics (proposal outcomes, people).
 */
import type { SampleView } from '../sample';
import { distribution } from './distribution';
import type { Distribution } from './distribution';
import type { QualityStats } from './qualityStats';
import { qualityStats } from './qualityStats';

/** Counts and quality statistics of a dataset's readable samples. */
export interface DatasetStats extends QualityStats {
  readonly samples: number;
  readonly media: Readonly<Record<string, number>>;
  readonly sampleStatus: Readonly<Record<string, number>>;
  readonly tasks: Readonly<Record<string, number>>;
  readonly entities: number;
  readonly entityStatus: Readonly<Record<string, number>>;
  readonly items: Readonly<Record<string, number>>;
  readonly kinds: Readonly<Record<string, number>>;
  readonly sources: Readonly<Record<string, number>>;
  readonly timePerEntityMs: Distribution & { readonly timed: number };
}

function inc(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/** The statistics of `samples` (the lines that read as samples). */
export function datasetStats(samples: readonly SampleView[]): DatasetStats {
  const sampleStatus: Record<string, number> = {};
  const entityStatus: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  const sources: Record<string, number> = {};
  const media: Record<string, number> = {};
  const tasks: Record<string, number> = {};
  const items: Record<string, number> = { answer: 0, standalone: 0, entity: 0 };
  const times: number[] = [];
  let entities = 0;
  for (const s of samples) {
    inc(sampleStatus, s.state.status);
    inc(media, s.fields.video ? 'video' : 'frames');
    inc(tasks, s.task);
    const standalone = new Set(
      s.extraction.entities.filter((e) => e.standalone).map((e) => e.index),
    );
    s.state.entities.forEach((e, i) => {
      inc(items, e.role === 'answer' ? 'answer' : standalone.has(i) ? 'standalone' : 'entity');
      entities++;
      inc(entityStatus, e.status);
      if (e.kind) inc(kinds, e.kind);
      if (e.grounding) inc(sources, e.grounding.source);
      if (e.timeMs !== undefined) times.push(e.timeMs);
    });
  }
  const time = distribution(times);
  return {
    samples: samples.length,
    media,
    sampleStatus,
    tasks,
    entities,
    entityStatus,
    items,
    kinds,
    sources,
    timePerEntityMs: { timed: times.length, ...time },
    ...qualityStats(samples.map((s) => s.state)),
  };
}
