/**
 * Everything `groundwork stats` reports about one dataset, computed once for the CLI, the
 * HTML report and the VS Code dashboard: counts by status, task, kind and source, time per
 * entity, and the quality statistics (proposal outcomes, people). A tally takes samples one
 * at a time, so the CLI streams a file and keeps only counts, timings and proposal fates.
 */
import type { SampleView } from '../sample';
import type { Distribution } from './distribution';
import { PeopleTally } from './peopleStats';
import type { PeopleStats } from './peopleStats';
import { outcomeRows, proposalFate } from './proposalOutcomes';
import type { ProposalFate, ProposalOutcomeRow } from './proposalOutcomes';
import { ValueBag } from './valueBag';

/** The quality part (DESIGN.md section 7): proposal outcomes per source and kind, people. */
export interface QualityStats {
  readonly proposals: readonly ProposalOutcomeRow[];
  /** Entities a person grounded with no proposal to start from. */
  readonly drawnWithoutProposal: number;
  readonly people: PeopleStats;
}

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

/** Takes samples one at a time; `result()` gives the statistics of all added so far. */
export class DatasetTally {
  private samples = 0;
  private entities = 0;
  private drawn = 0;
  private readonly sampleStatus: Record<string, number> = {};
  private readonly entityStatus: Record<string, number> = {};
  private readonly kinds: Record<string, number> = {};
  private readonly sources: Record<string, number> = {};
  private readonly media: Record<string, number> = {};
  private readonly tasks: Record<string, number> = {};
  private readonly items: Record<string, number> = { answer: 0, standalone: 0, entity: 0 };
  private readonly times = new ValueBag();
  private readonly fates: ProposalFate[] = [];
  private readonly people = new PeopleTally();

  /** Counts one sample. */
  add(s: SampleView): void {
    this.samples++;
    inc(this.sampleStatus, s.state.status);
    inc(this.media, s.fields.video ? 'video' : 'frames');
    inc(this.tasks, s.task);
    const standalone = new Set(
      s.extraction.entities.filter((e) => e.standalone).map((e) => e.index),
    );
    s.state.entities.forEach((e, i) => {
      inc(this.items, e.role === 'answer' ? 'answer' : standalone.has(i) ? 'standalone' : 'entity');
      this.entities++;
      inc(this.entityStatus, e.status);
      if (e.kind) inc(this.kinds, e.kind);
      if (e.grounding) inc(this.sources, e.grounding.source);
      if (e.timeMs !== undefined) this.times.add(e.timeMs);
      const fate = proposalFate(e);
      if (fate) this.fates.push(fate);
      else if (e.status === 'accepted' && e.grounding?.source === 'human') this.drawn++;
    });
    this.people.add(s.state);
  }

  /** The statistics of every sample added. */
  result(): DatasetStats {
    return {
      samples: this.samples,
      media: { ...this.media },
      sampleStatus: { ...this.sampleStatus },
      tasks: { ...this.tasks },
      entities: this.entities,
      entityStatus: { ...this.entityStatus },
      items: { ...this.items },
      kinds: { ...this.kinds },
      sources: { ...this.sources },
      timePerEntityMs: { timed: this.times.count, ...this.times.distribution() },
      proposals: outcomeRows(this.fates),
      drawnWithoutProposal: this.drawn,
      people: this.people.result(),
    };
  }
}

/** The statistics of `samples` (the lines that read as samples). */
export function datasetStats(samples: Iterable<SampleView>): DatasetStats {
  const tally = new DatasetTally();
  for (const s of samples) tally.add(s);
  return tally.result();
}
