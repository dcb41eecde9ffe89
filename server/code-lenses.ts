// Lenses on annotation lines:
// - "▶ Run DTLS pair" and "▶ Run with 20% loss" on every server snippet that has a client. A server
//   with several clients gets one pair of lenses per client, each naming its client and pointing at
//   the client's annotation line (which selects that pair in SERVER_RUN_COMMAND).
// - "⚡ Echo server for this client" on every client snippet (paired or not).
// - "✔ expectations: N/M" / "✘ expectations: N/M" on each snippet whose last run (still valid, see
//   run-results.ts) checked `# @dtls expect` lines of that snippet; a label without a command.
// - "Run as server" / "Run as client" on an un-annotated Markdown fence that looks like one; it inserts
//   the annotation.
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readSnippets, type SnippetDocument, type SnippetPair } from '../engine/sandbox/document';
import { languageOf } from './language';
import {
  ANNOTATE_LENS_TITLES,
  CLIENT_ANNOTATE_COMMAND,
  CLIENT_ECHO_COMMAND,
  CLIENT_RUN_COMMAND,
  ECHO_LENS_TITLE,
  LOSS_LENS_SETTINGS,
  LOSS_LENS_TITLE,
  RUN_LENS_TITLE,
} from './protocol';
import type { RunResults } from './run-results';

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });

function pairLenses(uri: string, pairs: SnippetPair[]): CodeLens[] {
  const byServer = new Map<number, SnippetPair[]>();
  for (const pair of pairs) {
    const line = pair.server.annotationLine;
    byServer.set(line, [...(byServer.get(line) ?? []), pair]);
  }
  const lenses: CodeLens[] = [];
  for (const [line, group] of byServer) {
    const range = at(line);
    for (const { client } of group) {
      const target = group.length === 1 ? line : client.annotationLine;
      const suffix = group.length === 1 ? '' : ` with ${client.name}`;
      lenses.push({ range, command: { title: `${RUN_LENS_TITLE}${suffix}`, command: CLIENT_RUN_COMMAND, arguments: [uri, target] } });
      lenses.push({
        range,
        command: { title: `${LOSS_LENS_TITLE}${suffix}`, command: CLIENT_RUN_COMMAND, arguments: [uri, target, 'virtual', LOSS_LENS_SETTINGS] },
      });
    }
  }
  return lenses;
}

/** "✔/✘ expectations: passed/total" per snippet, from the document's still-valid runs. */
function expectationLenses(document: TextDocument, runs: RunResults): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const { result: { report } } of runs.validRuns(document)) {
    const lineOf = new Map([[report.server.name, report.server.annotationLine], [report.client.name, report.client.annotationLine]]);
    const byLine = new Map<number, { passed: number; total: number }>();
    for (const e of report.expectations ?? []) {
      const line = lineOf.get(e.peer ?? '') ?? e.range.start.line;
      const tally = byLine.get(line) ?? { passed: 0, total: 0 };
      tally.total++;
      if (e.passed) tally.passed++;
      byLine.set(line, tally);
    }
    for (const [line, { passed, total }] of byLine) {
      const title = `${passed === total ? '✔' : '✘'} expectations: ${passed}/${total}`;
      lenses.push({ range: at(line), command: { title, command: '' } });
    }
  }
  return lenses;
}

export function runLenses(document: TextDocument, runs: RunResults): CodeLens[] {
  let read: SnippetDocument;
  try {
    read = readSnippets(document.getText(), languageOf(document.languageId, document.uri));
  } catch {
    return []; // the diagnostics say what is wrong with the document
  }
  const uri = document.uri;
  const lenses = pairLenses(uri, read.pairs);
  for (const snippet of read.snippets) {
    if (snippet.role !== 'client') continue;
    lenses.push({ range: at(snippet.annotationLine), command: { title: ECHO_LENS_TITLE, command: CLIENT_ECHO_COMMAND, arguments: [uri, snippet.annotationLine] } });
  }
  lenses.push(...expectationLenses(document, runs));
  for (const { role, line, fenceStartLine } of read.suggestions) {
    lenses.push({ range: at(fenceStartLine), command: { title: ANNOTATE_LENS_TITLES[role], command: CLIENT_ANNOTATE_COMMAND, arguments: [uri, line, role] } });
  }
  return lenses;
}
