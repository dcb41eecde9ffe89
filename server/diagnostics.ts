// Diagnostics for one document = the static problems of its current text (annotations, syntax,
// analysis, Godot 3 constructs), plus the problems of the last run of each pair whose snippets are
// still unchanged (see run-results.ts).
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument } from '../engine/sandbox/check';
import type { Problem } from '../engine/sandbox/report';
import { languageOf } from './language';
import { DIAGNOSTIC_SOURCE } from './protocol';
import type { RunResults } from './run-results';

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const TAG: Record<NonNullable<Problem['tags']>[number], DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

/** A problem's range as a valid LSP range (whole non-negative numbers, end not before start). */
export function lspRange(range: Problem['range']): Diagnostic['range'] {
  const clamp = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
  const start = { line: clamp(range.start.line), character: clamp(range.start.character) };
  let end = { line: clamp(range.end.line), character: clamp(range.end.character) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

export function toDiagnostic(problem: Problem): Diagnostic {
  const diagnostic: Diagnostic = {
    range: lspRange(problem.range),
    severity: SEVERITY[problem.severity] ?? DiagnosticSeverity.Error,
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.peer ? `${problem.peer}: ${problem.message}` : problem.message,
  };
  const tags = (problem.tags ?? []).map((t) => TAG[t]).filter((t) => t !== undefined);
  if (tags.length > 0) diagnostic.tags = tags;
  return diagnostic;
}

/** Static problems of a text; an engine failure becomes one diagnostic instead of a dead server. */
export function staticProblems(document: TextDocument): Problem[] {
  try {
    return checkDocument(document.getText(), languageOf(document.languageId, document.uri));
  } catch (error) {
    return [{
      severity: 'error',
      code: 'internal',
      message: `DTLS Lab could not check this document: ${error instanceof Error ? error.message : String(error)}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    }];
  }
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The problems last computed for each document, with the version they are of. */
  private readonly current = new Map<string, { version: number; problems: Problem[] }>();

  /** `delayMs`: pause after the last edit before re-checking (settable from initializationOptions). */
  constructor(private readonly connection: Connection, private readonly runs: RunResults, public delayMs = 150) {}

  /** After an edit: re-check once typing pauses. */
  documentChanged(document: TextDocument): void {
    this.cancel(document.uri);
    this.timers.set(document.uri, setTimeout(() => {
      this.timers.delete(document.uri);
      this.publish(document);
    }, this.delayMs));
  }

  /** Publishes right away (on open, when typing pauses). */
  publish(document: TextDocument): void {
    this.cancel(document.uri);
    const problems = this.problemsOf(document);
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: problems.map(toDiagnostic) });
  }

  /** A run of the document was recorded: its problems join the published ones right away. */
  runsChanged(document: TextDocument): void {
    this.current.delete(document.uri);
    this.publish(document);
  }

  /** The problems of the document as it is now (static + still-valid runs), computed at most once per version. */
  problemsOf(document: TextDocument): Problem[] {
    const known = this.current.get(document.uri);
    return known && known.version === document.version ? known.problems : this.compute(document);
  }

  /** Document closed: drop all state and clear what the editor shows. */
  documentClosed(uri: string): void {
    this.cancel(uri);
    this.current.delete(uri);
    this.runs.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private compute(document: TextDocument): Problem[] {
    const problems = [...staticProblems(document), ...this.runs.problemsOf(document)];
    this.current.set(document.uri, { version: document.version, problems });
    return problems;
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}
