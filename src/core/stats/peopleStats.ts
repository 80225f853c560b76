/**
 * Who did the work and how fast: time per entity per person, entities and samples per
 * person per day, and how often each reviewer rejects. Identity fields are recent, so a
 * file without them still counts: the person is then `unknown` and undated work has no day.
 */
import type { SampleState } from '../model';
import type { Distribution } from './distribution';
import { distribution, round4 } from './distribution';

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

function rate(reviewer: string, list: readonly Review[]): ReviewerRate {
  const rejected = list.filter((r) => r.status === 'rejected').length;
  return {
    reviewer,
    reviewed: list.length,
    approved: list.length - rejected,
    rejected,
    rejectionRate: list.length ? round4(rejected / list.length) : null,
  };
}

/** The people statistics of a set of sample states. */
export function peopleStats(states: Iterable<SampleState>): PeopleStats {
  const times = new Map<string, number[]>();
  const days = new Map<string, { entities: number; samples: number }>();
  const reviews: Review[] = [];
  const dayOf = (person: string, day: string) => {
    const key = `${person}\u0000${day}`;
    const cur = days.get(key) ?? { entities: 0, samples: 0 };
    days.set(key, cur);
    return cur;
  };
  for (const state of states) {
    for (const e of state.entities) {
      const decided =
        e.status === 'accepted' || e.status === 'edited' || e.status === 'not_groundable';
      if (!decided) continue;
      const person = e.groundedBy ?? state.annotatedBy ?? UNKNOWN_PERSON;
      if (e.timeMs !== undefined) {
        const list = times.get(person) ?? [];
        list.push(e.timeMs);
        times.set(person, list);
      }
      const day = utcDay(e.groundedAt ?? state.annotatedAt);
      if (day) dayOf(person, day).entities++;
    }
    for (const a of annotationsOf(state)) if (a.day) dayOf(a.by, a.day).samples++;
    reviews.push(...reviewsOf(state));
  }
  const reviewers = [...new Set(reviews.map((r) => r.by))].sort();
  return {
    timePerEntity: [...times.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([person, list]) => ({
        person,
        entities: list.length,
        totalMs: list.reduce((a, b) => a + b, 0),
        timeMs: distribution(list),
      })),
    throughput: [...days.entries()]
      .map(([key, v]) => {
        const [person = '', day = ''] = key.split('\u0000');
        return { person, day, ...v };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || a.person.localeCompare(b.person)),
    reviews: [
      rate('all', reviews),
      ...reviewers.map((who) =>
        rate(
          who,
          reviews.filter((r) => r.by === who),
        ),
      ),
    ],
  };
}
