/**
 * The sample list's tooltip: line, status, who annotated and reviewed the sample, and the
 * newest comment of its thread, so a rejected sample says why before it is opened.
 */
import * as vscode from 'vscode';
import type { SampleSummary } from '../protocol/snapshot';

/** A user's text in Markdown, without letting it become markup or a link. */
function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** `2026-12-01T10:03:00.000Z` as `2026-12-01 10:03 UTC` (a tooltip needs no seconds). */
function when(at: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(at);
  return m ? `${m[1]} ${m[2]} UTC` : at;
}

/** The tooltip of one row of the sample list. */
export function sampleTooltip(s: SampleSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  // A codicon, not an emoji: every VS Code font has it; user text has its parentheses escaped.
  md.supportThemeIcons = true;
  const head = s.problem
    ? `line ${s.line + 1}: ${plain(s.problem)}`
    : `line ${s.line + 1} · ${plain((s.status ?? 'todo').replace('_', ' '))}`;
  const lines = [head];
  if (s.annotatedBy)
    lines.push(
      `annotated by ${plain(s.annotatedBy)}${s.annotatedAt ? `, ${plain(when(s.annotatedAt))}` : ''}`,
    );
  if (s.reviewedBy) lines.push(`reviewed by ${plain(s.reviewedBy)}`);
  const c = s.lastComment;
  if (c) {
    const more = (s.commentCount ?? 1) > 1 ? ` (${s.commentCount} comments)` : '';
    const stamp = c.at ? `, ${plain(when(c.at))}` : '';
    lines.push(`$(comment) **${plain(c.author)}**${stamp}${more}: ${plain(c.text)}`);
  }
  md.appendMarkdown(lines.join('  \n'));
  return md;
}
