// textDocument/hover: the analyzer's hover (engine/analysis/queries.ts) as Markdown.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../engine/analysis/queries';
import { lspRange } from './diagnostics';
import { languageOf } from './language';

export function hover(document: TextDocument, position: Position): Hover | null {
  const found = hoverAt(document.getText(), languageOf(document.languageId, document.uri), position);
  return found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: lspRange(found.range) } : null;
}
