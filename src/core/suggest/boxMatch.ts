/** Matches detector boxes to an entity's text through COCO labels and synonyms, best first. */
import type { Box } from '../mask';
import { COCO_LABELS, COCO_SYNONYMS } from './cocoLabels';
import { headNoun, nounPhrase, singular } from './headNoun';

/** One detector output in source pixels. */
export interface Detection {
  readonly box: Box;
  /** objectness x class probability, 0..1. */
  readonly score: number;
  /** The detector's label name (COCO names for YOLOX). */
  readonly label: string;
}

/** A detection proposed for an entity, with the blended score used for ranking. */
export interface BoxCandidate {
  readonly detection: Detection;
  /** detection score x how well its label matches the text (1 for the head noun). */
  readonly score: number;
}

/**
 * The detector labels an entity's text asks for. Only the head noun counts ("the cup on
 * the table" wants a cup, never the table), either through a synonym or as the last word
 * of a multi-word label written out ("the teddy bear", "the dining table").
 */
export function labelsForText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const head = headNoun(text);
  if (!head) return out;
  const phrase = nounPhrase(text).map(singular).join(' ');
  // A written-out multi-word label wins over its last word: "teddy bear" is not a bear.
  for (const label of COCO_LABELS)
    if (label.includes(' ') && phrase.endsWith(label)) out.set(label, 1);
  if (out.size > 0) return out;
  if (COCO_LABELS.includes(head)) out.set(head, 1);
  const synonym = COCO_SYNONYMS[head];
  if (synonym && !out.has(synonym)) out.set(synonym, 1);
  return out;
}

/**
 * Detections matching the entity text, best first; an empty list when the text names no
 * detectable class (the editor then proposes nothing rather than a wrong box).
 */
export function matchDetections(
  text: string,
  detections: readonly Detection[],
  minScore = 0.05,
): BoxCandidate[] {
  const labels = labelsForText(text);
  const out: BoxCandidate[] = [];
  for (const d of detections) {
    const w = labels.get(d.label);
    if (w === undefined || d.score < minScore) continue;
    out.push({ detection: d, score: d.score * w });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** The candidate shown after `cycle` presses of the cycle key (wraps around; undefined when none). */
export function cycleCandidate<T>(candidates: readonly T[], cycle: number): T | undefined {
  if (candidates.length === 0) return undefined;
  const n = candidates.length;
  return candidates[((cycle % n) + n) % n];
}

/** The best detection score for the entity on one frame (0 when none), for frame suggestions. */
export function entityConfidence(text: string, detections: readonly Detection[]): number {
  return matchDetections(text, detections)[0]?.score ?? 0;
}
