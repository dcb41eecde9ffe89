// Code actions from the problems' fixes: one `quickfix` per fix of every problem in the requested
// range (the first safe fix of a problem is the preferred one), and a `source.fixAll` action, "Fix
// all Godot 3 → 4 in file", that applies every safe fix of the Godot 3 problems, round after round
// until none is left (engine/analysis/fix-document.ts, as `dtls-lab check --fix` does).
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixDocument } from '../engine/analysis/fix-document';
import type { Problem, Range } from '../engine/sandbox/report';
import { lspRange, toDiagnostic } from './diagnostics';
import { languageOf } from './language';
import { FIX_ALL_TITLE } from './protocol';

/** The kinds the server offers (for the `codeActionProvider` capability). */
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll];

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);

/** True when the ranges share a position (touching counts: a cursor at a problem's end is "in" it). */
function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Does an action of `kind` pass the client's `only` filter (a kind matches itself and its sub-kinds)? */
function wanted(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((filter) => kind === filter || kind.startsWith(`${filter}.`));
}

export function isGodot3Problem(problem: Problem): boolean {
  return problem.code === 'godot3' || problem.code.startsWith('godot3-');
}

/** One edit that turns the document's text into `next`: the span between their common start and end. */
function replacementEdit(document: TextDocument, next: string): TextEdit {
  const text = document.getText();
  let start = 0;
  while (start < text.length && start < next.length && text[start] === next[start]) start++;
  let end = 0;
  while (end < text.length - start && end < next.length - start && text[text.length - 1 - end] === next[next.length - 1 - end]) end++;
  return {
    range: { start: document.positionAt(start), end: document.positionAt(text.length - end) },
    newText: next.slice(start, next.length - end),
  };
}

function quickFixes(uri: string, problems: Problem[], range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const problem of problems) {
    if (!problem.fixes?.length || !touches(lspRange(problem.range), range)) continue;
    const diagnostic = toDiagnostic(problem);
    const preferred = problem.fixes.find((f) => f.safe);
    for (const fix of problem.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix === preferred,
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: lspRange(e.range), newText: e.newText })) } },
      });
    }
  }
  return actions;
}

/** "Fix all Godot 3 → 4 in file", when the document's problems include a Godot 3 one with a safe fix. */
function fixAll(document: TextDocument, problems: Problem[]): CodeAction | undefined {
  const godot3 = problems.filter((p) => isGodot3Problem(p) && p.fixes?.some((f) => f.safe));
  if (godot3.length === 0) return undefined;
  const fixed = fixDocument(document.getText(), languageOf(document.languageId, document.uri), { only: isGodot3Problem });
  if (fixed.applied.length === 0 || fixed.text === document.getText()) return undefined;
  return {
    title: FIX_ALL_TITLE,
    kind: CodeActionKind.SourceFixAll,
    diagnostics: godot3.map(toDiagnostic),
    edit: { changes: { [document.uri]: [replacementEdit(document, fixed.text)] } },
  };
}

/** The actions for `params.range` of `document`, whose current problems are `problems`. */
export function codeActions(document: TextDocument, problems: Problem[], params: Pick<CodeActionParams, 'range' | 'context'>): CodeAction[] {
  const only = params.context.only;
  const actions = wanted(CodeActionKind.QuickFix, only) ? quickFixes(document.uri, problems, params.range) : [];
  if (wanted(CodeActionKind.SourceFixAll, only)) {
    const all = fixAll(document, problems);
    if (all) actions.push(all);
  }
  return actions;
}
