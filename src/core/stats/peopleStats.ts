/**
 * Who did the work and how fast: time per entity per person, entities and samples per
 * person per day, and how often each reviewer rejects. Identity fields are recent, so a
 * file without them still counts: the person is then `unknown` and undated work has no day.
 */
import type { SampleState } from '../model';
import type { Distribution } from './distribution';
import { round4 } from './distribution';
import { ValueBag } from './valueBag';

/** The name used where a file does not say who did the work. */
export const UNKNOWN_PERSON = 'unknown';

/** Time per entity of one person. */
export interface PersonTime {
  readonly person: string;
  readonly entities: number;
  readonly totalMs: number;
  readonly timeMs: Distribution;
}

/** Work of one person on one UTC day (from `groundedAt` / `annotatedAt` / the history). */
export interface DayThroughput {
  readonly person: string;
  readonly day: string;
  readonly entities: number;
  readonly samples: number;
}

/** Review decisions of one reviewer (`all` for everyone). */
export interface ReviewerRate {
  readonly reviewer: string;
  readonly reviewed: number;
  readonly approved: number;
  readonly rejected: number;
  readonly rejectionRate: number | null;
}

/** The people section of the statistics. */
export interface PeopleStats {
  readonly timePerEntity: readonly PersonTime[];
  readonly throughput: readonly DayThroughput[];
  readonly reviews: readonly ReviewerRate[];
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** The UTC day of an ISO 8601 time, or undefined when it is not one. */
export function utcDay(at: string | undefined): string | undefined {
  if (!at) return undefined;
  const t = Date.parse(at);
  if (Number.isNaN(t)) return DAY.exec(at)?.[0];
  return new Date(t).toISOString().slice(0, 10);
}

interface Review {
  readonly by: string;
  readonly status: 'approved' | 'rejected';
}

/** Every review decision: the history when the sample has one, else its current status. */
function reviewsOf(state: SampleState): Review[] {
  const decided = (s: string): s is Review['status'] => s === 'approved' || s === 'rejected';
  if (state.history?.length)
    return state.history.flatMap((h) =>
      decided(h.status)
        ? [{ by: h.by ?? state.reviewedBy ?? UNKNOWN_PERSON, status: h.status }]
        : [],
    );
  return decided(state.status)
    ? [{ by: state.reviewedBy ?? UNKNOWN_PERSON, status: state.status }]
    : [];
}

/** Who annotated the sample when: the history's `annotated` steps, else the state fields. */
function annotationsOf(state: SampleState): { by: string; day?: string }[] {
  const steps = (state.history ?? []).filter((h) => h.status === 'annotated');
  if (steps.length) return steps.map((h) => ({ by: h.by ?? UNKNOWN_PERSON, day: utcDay(h.at) }));
  if (!state.annotatedBy && !state.annotatedAt) return [];
  return [{ by: state.annotatedBy ?? UNKNOWN_PERSON, day: utcDay(state.annotatedAt) }];
}

function rate(reviewer: string, counts: { reviewed: number; rejected: number }): ReviewerRate {
  const { reviewed, rejected } = counts;
  return {
    reviewer,
    reviewed,
    approved: reviewed - rejected,
    rejected,
    rejectionRate: reviewed ? round4(rejected / reviewed) : null,
  };
}

function byName<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Takes sample states one at a time (a streamed file); keeps timings and counts only. */
export class PeopleTally {
  private readonly times = new Map<string, ValueBag>();
  private readonly days = new Map<string, { entities: number; samples: number }>();
  private readonly reviews = new Map<string, { reviewed: number; rejected: number }>();
  // Kept apart from the map, so that a reviewer who happens to be called "all" stays apart too.
  private readonly total = { reviewed: 0, rejected: 0 };

  private dayOf(person: string, day: string): { entities: number; samples: number } {
    const key = `${person}\u0000${day}`;
    const cur = this.days.get(key) ?? { entities: 0, samples: 0 };
    this.days.set(key, cur);
    return cur;
  }

  /** Counts one sample's work. */
  add(state: SampleState): void {
    for (const e of state.entities) {
      const decided =
        e.status === 'accepted' || e.status === 'edited' || e.status === 'not_groundable';
      if (!decided) continue;
      const person = e.groundedBy ?? state.annotatedBy ?? UNKNOWN_PERSON;
      if (e.timeMs !== undefined) {
        const bag = this.times.get(person) ?? new ValueBag();
        bag.add(e.timeMs);
        this.times.set(person, bag);
      }
      const day = utcDay(e.groundedAt ?? state.annotatedAt);
      if (day) this.dayOf(person, day).entities++;
    }
    for (const a of annotationsOf(state)) if (a.day) this.dayOf(a.by, a.day).samples++;
    for (const r of reviewsOf(state)) {
      const cur = this.reviews.get(r.by) ?? { reviewed: 0, rejected: 0 };
      this.reviews.set(r.by, cur);
      for (const counts of [cur, this.total]) {
        counts.reviewed++;
        if (r.status === 'rejected') counts.rejected++;
      }
    }
  }

  /** The people statistics of everything added. */
  result(): PeopleStats {
    return {
      timePerEntity: byName(this.times).map(([person, bag]) => ({
        person,
        entities: bag.count,
        totalMs: bag.total(),
        timeMs: bag.distribution(),
      })),
      throughput: [...this.days.entries()]
        .map(([key, v]) => {
          const [person = '', day = ''] = key.split('\u0000');
          return { person, day, ...v };
        })
        .sort((a, b) => a.day.localeCompare(b.day) || a.person.localeCompare(b.person)),
      reviews: [
        rate('all', this.total),
        ...byName(this.reviews).map(([who, counts]) => rate(who, counts)),
      ],
    };
  }
}

/** The people statistics of a set of sample states. */
export function peopleStats(states: Iterable<SampleState>): PeopleStats {
  const tally = new PeopleTally();
  for (const state of states) tally.add(state);
  return tally.result();
}
