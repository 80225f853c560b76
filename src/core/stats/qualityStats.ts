/** The quality part of the statistics (DESIGN.md section 7), as the CLI, report and dashboard share it. */
import type { PeopleStats } from './peopleStats';
import type { ProposalOutcomeRow } from './proposalOutcomes';

/** Proposal outcomes per source and kind, and the people statistics. */
export interface QualityStats {
  readonly proposals: readonly ProposalOutcomeRow[];
  /** Entities a person grounded with no proposal to start from. */
  readonly drawnWithoutProposal: number;
  readonly people: PeopleStats;
}
