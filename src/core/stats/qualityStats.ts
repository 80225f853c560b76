/**
 * The quality statistics of a dataset (DESIGN.md section 7): how each model's proposals
 * ended and how far people moved them, and the people figures. Plain data, so the CLI can
 * print it as JSON and the report and dashboard can plot it.
 */
import type { SampleState } from '../model';
import type { PeopleStats } from './peopleStats';
import { peopleStats } from './peopleStats';
import type { ProposalOutcomeRow } from './proposalOutcomes';
import { proposalOutcomes } from './proposalOutcomes';

/** Proposal outcomes per source and kind, and the people statistics. */
export interface QualityStats {
  readonly proposals: readonly ProposalOutcomeRow[];
  /** Entities a person grounded with no proposal to start from. */
  readonly drawnWithoutProposal: number;
  readonly people: PeopleStats;
}

/** The quality statistics of a set of sample states. */
export function qualityStats(states: readonly SampleState[]): QualityStats {
  const entities = states.flatMap((s) => s.entities);
  return {
    proposals: proposalOutcomes(entities),
    drawnWithoutProposal: entities.filter(
      (e) => e.grounding?.source === 'human' && e.status === 'accepted',
    ).length,
    people: peopleStats(states),
  };
}
