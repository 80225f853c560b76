/** The plain-text form of `groundwork stats` (the `--json` form is the same data as JSON). */
import type { AgreementStats } from '../../core/stats/agreement';
import type { DatasetStats } from '../../core/stats/datasetStats';
import type { Distribution } from '../../core/stats/distribution';

/** What the text form prints: the dataset statistics plus the file facts. */
export interface StatsResult extends DatasetStats {
  readonly file: string;
  readonly lines: number;
  readonly invalidLines: number;
  readonly blankLines: number;
  readonly agreement?: AgreementStats & { readonly with: string };
}

function fmt(m: Readonly<Record<string, number>>): string {
  return (
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-'
  );
}

function num(v: number | null, digits = 2): string {
  return v === null ? '-' : v.toFixed(digits);
}

function seconds(d: Distribution): string {
  return `median ${num(d.median === null ? null : d.median / 1000, 1)} s, p90 ${num(d.p90 === null ? null : d.p90 / 1000, 1)} s`;
}

function proposalLines(r: StatsResult): string[] {
  if (!r.proposals.length) return ['  proposals none'];
  return r.proposals.map((p) => {
    const iou = p.iou.count ? `, IoU median ${num(p.iou.median)} (n ${p.iou.count})` : '';
    const moved = p.displacementPx.count
      ? `, points moved median ${num(p.displacementPx.median, 1)} px / ${num(p.displacementNorm.median, 1)} norm`
      : '';
    return `  ${p.kind === 'all' ? 'proposals' : '         '} ${p.source} ${p.kind}: ${p.proposals} (accepted ${p.accepted}, edited ${p.edited}, not groundable ${p.notGroundable}, open ${p.open})${iou}${moved}`;
  });
}

function peopleLines(r: StatsResult): string[] {
  const out: string[] = [];
  for (const p of r.people.timePerEntity)
    out.push(`  person    ${p.person}: ${p.entities} timed entities, ${seconds(p.timeMs)}`);
  for (const t of r.people.throughput)
    out.push(`  per day   ${t.day} ${t.person}: ${t.entities} entities, ${t.samples} samples`);
  for (const v of r.people.reviews)
    if (v.reviewed)
      out.push(
        `  reviews   ${v.reviewer}: ${v.reviewed} (approved ${v.approved}, rejected ${v.rejected}, rejection rate ${num(v.rejectionRate)})`,
      );
  return out;
}

function agreementLines(a: AgreementStats & { readonly with: string }): string[] {
  return [
    `  agreement with ${a.with}: ${a.samples} shared samples, ${a.entities} shared entities`,
    `            ${a.compared} boxes compared: IoU mean ${num(a.iou.mean)}, median ${num(a.iou.median)}; both not groundable ${a.bothNotGroundable}, groundable differs ${a.groundableDiffers}, frame differs ${a.frameDiffers}, not boxes ${a.notBoxes}, undecided ${a.undecided}`,
  ];
}

/** The text report of `groundwork stats`. */
export function statsText(r: StatsResult): string {
  const t = r.timePerEntityMs;
  const lines = [
    r.file,
    `  lines     ${r.lines} (${r.samples} samples, ${r.invalidLines} invalid, ${r.blankLines} blank)`,
    `  media     ${fmt(r.media)}`,
    `  samples   ${fmt(r.sampleStatus)}`,
    `  tasks     ${fmt(r.tasks)}`,
    `  entities  ${r.entities}: ${fmt(r.entityStatus)}`,
    `  items     ${fmt(r.items)}`,
    `  kinds     ${fmt(r.kinds)}`,
    `  sources   ${fmt(r.sources)}`,
    `  time      ${t.timed ? `median ${Math.round(t.median ?? 0)} ms, mean ${Math.round(t.mean ?? 0)} ms over ${t.timed} entities` : 'no timings yet'}`,
    ...proposalLines(r),
    `  drawn     ${r.drawnWithoutProposal} without a proposal`,
    ...peopleLines(r),
    ...(r.agreement ? agreementLines(r.agreement) : []),
  ];
  return lines.join('\n') + '\n';
}
