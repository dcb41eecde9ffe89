// "▶ Run DTLS pair" on the annotation line of every server snippet that has a client. A server with
// several clients gets one lens per client, each naming its client and pointing at the client's
// annotation line (which selects that pair in SERVER_RUN_COMMAND). An un-annotated Markdown fence that
// looks like a server or a client gets "Run as server" / "Run as client", which inserts the annotation.
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readSnippets, type SnippetPair, type Suggestion } from '../engine/sandbox/document';
import { languageOf } from './language';
import { ANNOTATE_LENS_TITLES, CLIENT_ANNOTATE_COMMAND, CLIENT_RUN_COMMAND, RUN_LENS_TITLE } from './protocol';

export function runLenses(document: TextDocument): CodeLens[] {
  let pairs: SnippetPair[];
  let suggestions: Suggestion[];
  try {
    ({ pairs, suggestions } = readSnippets(document.getText(), languageOf(document.languageId, document.uri)));
  } catch {
    return []; // the diagnostics say what is wrong with the document
  }
  const byServer = new Map<number, SnippetPair[]>();
  for (const pair of pairs) {
    const line = pair.server.annotationLine;
    byServer.set(line, [...(byServer.get(line) ?? []), pair]);
  }
  const lenses: CodeLens[] = [];
  for (const [line, group] of byServer) {
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    if (group.length === 1) {
      lenses.push({ range, command: { title: RUN_LENS_TITLE, command: CLIENT_RUN_COMMAND, arguments: [document.uri, line] } });
      continue;
    }
    for (const { client } of group) {
      lenses.push({
        range,
        command: { title: `${RUN_LENS_TITLE} with ${client.name}`, command: CLIENT_RUN_COMMAND, arguments: [document.uri, client.annotationLine] },
      });
    }
  }
  for (const { role, line, fenceStartLine } of suggestions) {
    const range = { start: { line: fenceStartLine, character: 0 }, end: { line: fenceStartLine, character: 0 } };
    lenses.push({ range, command: { title: ANNOTATE_LENS_TITLES[role], command: CLIENT_ANNOTATE_COMMAND, arguments: [document.uri, line, role] } });
  }
  return lenses;
}
