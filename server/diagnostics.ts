// Diagnostics for one document = the static problems of its current text (annotations + syntax),
// plus the problems of the last run while the text is still the one that was run.
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument } from '../engine/sandbox/check';
import type { Problem } from '../engine/sandbox/report';
import { languageOf } from './language';
import { DIAGNOSTIC_SOURCE } from './protocol';

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(problem: Problem): Diagnostic {
  const clamp = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
  const start = { line: clamp(problem.range.start.line), character: clamp(problem.range.start.character) };
  let end = { line: clamp(problem.range.end.line), character: clamp(problem.range.end.character) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return {
    range: { start, end },
    severity: SEVERITY[problem.severity] ?? DiagnosticSeverity.Error,
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.peer ? `${problem.peer}: ${problem.message}` : problem.message,
  };
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
  /** Problems of the last run, keyed by uri, valid only for the document version that was run. */
  private readonly runProblems = new Map<string, { version: number; problems: Problem[] }>();

  constructor(private readonly connection: Connection, private readonly delayMs = 150) {}

  /** After an edit: forget the run's problems and re-check once typing pauses. */
  documentChanged(document: TextDocument): void {
    this.runProblems.delete(document.uri);
    this.cancel(document.uri);
    this.timers.set(document.uri, setTimeout(() => {
      this.timers.delete(document.uri);
      this.publish(document);
    }, this.delayMs));
  }

  /** Publishes right away (on open, or after a run). */
  publish(document: TextDocument): void {
    this.cancel(document.uri);
    const run = this.runProblems.get(document.uri);
    const problems = staticProblems(document);
    if (run && run.version === document.version) problems.push(...run.problems);
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: problems.map(toDiagnostic) });
  }

  /** Records the problems of a run of `version` of the document and publishes them with the static ones. */
  runFinished(document: TextDocument, version: number, problems: Problem[]): void {
    if (document.version !== version) return; // edited while running: those ranges are stale
    this.runProblems.set(document.uri, { version, problems });
    this.publish(document);
  }

  /** Document closed: drop all state and clear what the editor shows. */
  documentClosed(uri: string): void {
    this.cancel(uri);
    this.runProblems.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}
