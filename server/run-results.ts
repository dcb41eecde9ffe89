// The last run of each pair of each open document, kept while that pair's snippets are unchanged.
//
// A run's problems and expectation results belong to the lines of the pair's snippets (server,
// client and their `part` fragments). Instead of dropping every run of a document on any edit, a run
// remembers the text of each of those line spans, plus the line that ends the span (the next
// annotation or the closing fence, so a line typed at the end of a snippet counts as an edit of it);
// it stays valid while all of them are unchanged at the same lines. An edit inside another pair keeps
// it; an edit inside the pair, or one that shifts its lines (inserting lines above), drops it.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SnippetPair } from '../engine/sandbox/document';
import type { Problem } from '../engine/sandbox/report';
import type { LineSpan, RunPairResult } from './protocol';

/** Line span [start, end] (end included: the line after the snippet, or the end of the document). */
interface Span {
  start: number;
  end: number;
  text: string;
}

export interface StoredRun {
  /** Annotation lines of the pair: `server:client`. A new run of the same pair replaces the old one. */
  key: string;
  result: RunPairResult;
  spans: Span[];
}

/** How many runs one document keeps at most (the oldest go first). */
const MAX_RUNS_PER_DOCUMENT = 64;

function spanText(document: TextDocument, start: number, end: number): string {
  return document.getText({ start: { line: start, character: 0 }, end: { line: end + 1, character: 0 } });
}

/**
 * The lines of a pair's snippets and fragments, sorted: each from its annotation through the line
 * that ends it (the next annotation, the closing fence, or the document's last line), so a line
 * typed at the end of a snippet counts as an edit of it.
 */
export function pairLines(pair: SnippetPair): LineSpan[] {
  const pieces = [pair.server, pair.client, ...(pair.server.fragments ?? []), ...(pair.client.fragments ?? [])];
  return pieces.map((piece) => ({ start: Math.min(piece.annotationLine, piece.startLine), end: piece.endLine + 1 })).sort((a, b) => a.start - b.start);
}

/** The line spans of a pair's snippets and fragments (pairLines), with their text in `document`. */
function spansOf(pair: SnippetPair, document: TextDocument): Span[] {
  return pairLines(pair).map(({ start, end }) => ({ start, end: end - 1, text: spanText(document, start, end - 1) }));
}

export class RunResults {
  private readonly runs = new Map<string, StoredRun[]>();

  /** Remembers the run of `pair`, read from `text` (the document's text when it was run). */
  record(uri: string, text: string, pair: SnippetPair, result: RunPairResult): void {
    const snapshot = TextDocument.create(uri, 'plaintext', 0, text);
    const key = `${pair.server.annotationLine}:${pair.client.annotationLine}`;
    const kept = (this.runs.get(uri) ?? []).filter((run) => run.key !== key);
    kept.push({ key, result, spans: spansOf(pair, snapshot) });
    this.runs.set(uri, kept.slice(-MAX_RUNS_PER_DOCUMENT));
  }

  /** The runs whose snippets `document` still has unchanged; forgets the others. */
  validRuns(document: TextDocument): StoredRun[] {
    const stored = this.runs.get(document.uri);
    if (!stored) return [];
    const valid = stored.filter((run) => run.spans.every((span) => spanText(document, span.start, span.end) === span.text));
    if (valid.length === 0) this.runs.delete(document.uri);
    else if (valid.length !== stored.length) this.runs.set(document.uri, valid);
    return valid;
  }

  /** The problems of the still-valid runs of `document`. */
  problemsOf(document: TextDocument): Problem[] {
    return this.validRuns(document).flatMap((run) => run.result.report.problems);
  }

  forget(uri: string): void {
    this.runs.delete(uri);
  }

  /** Number of runs kept over all documents. */
  get size(): number {
    let n = 0;
    for (const runs of this.runs.values()) n += runs.length;
    return n;
  }
}
