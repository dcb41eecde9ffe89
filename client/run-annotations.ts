// The after-line texts of a run: what each line printed (`⟵ "hello"`), where a peer's DTLS status
// changed (`client → STATUS_CONNECTED at 12.4 ms`), each peer's final status on its annotation line
// and the errors where they happened. Plain data (no `vscode`): decorations.ts draws them.
import type { RunReport } from '../engine/sandbox/report';
import { formatMs } from './timeline-model';

export type AnnotationKind = 'print' | 'status' | 'error';

/** One after-line annotation (also what the extension's test API returns). */
export interface RunAnnotation {
  line: number;
  kind: AnnotationKind;
  text: string;
}

const MAX_TEXT = 80;
const MAX_PER_LINE = 3;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** Groups texts by line, keeping their order. */
function byLine(items: { line: number; text: string }[]): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  for (const { line, text } of items) lines.set(line, [...(lines.get(line) ?? []), text]);
  return lines;
}

function joined(texts: string[], separator: string, what: string): string {
  const shown = texts.slice(0, MAX_PER_LINE).join(separator);
  return texts.length > MAX_PER_LINE ? `${shown} … (${texts.length} ${what})` : shown;
}

/** Turns a report into annotations, at most one per (line, kind), sorted by line. */
export function annotationsOf(report: RunReport): RunAnnotation[] {
  const out: RunAnnotation[] = [];
  const add = (line: number, kind: AnnotationKind, text: string) => {
    const existing = out.find((a) => a.line === line && a.kind === kind);
    if (existing) existing.text += `  ${text}`;
    else out.push({ line, kind, text });
  };

  const prints = byLine(report.peers.flatMap((peer) => peer.prints.flatMap((p) => (p.range ? [{ line: p.range.start.line, text: JSON.stringify(clip(p.text)) }] : []))));
  for (const [line, texts] of prints) add(line, 'print', `⟵ ${joined(texts, ', ', 'prints')}`);

  const changes = byLine(report.timeline.flatMap((e) =>
    e.kind === 'status' && e.range ? [{ line: e.range.start.line, text: `${e.peer} → ${e.statusName} at ${formatMs(e.at)}` }] : []));
  for (const [line, texts] of changes) add(line, 'status', joined(texts, ' · ', 'status changes'));

  for (const peer of report.peers) {
    const status = peer.finalStatus ? `${peer.finalStatus.statusName} (${peer.finalStatus.status})` : 'no DTLS status';
    add(peer.annotationLine, peer.crashed ? 'error' : 'status', `${peer.name} → ${status}${peer.crashed ? ' ✗ stopped on an error' : ''}`);
  }

  const errors = byLine(report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ line: p.range.start.line, text: p.peer ? `${p.peer}: ${p.message}` : p.message })));
  for (const [line, messages] of errors) add(line, 'error', `✗ ${clip(messages.join(' · '))}`);

  return out.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
}
