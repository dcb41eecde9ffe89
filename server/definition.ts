// textDocument/definition: where a script symbol is declared, in the same document.
import type { Location, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { definitionAt } from '../engine/analysis/queries';
import { lspRange } from './diagnostics';
import { languageOf } from './language';

export function definition(document: TextDocument, position: Position): Location | null {
  const range = definitionAt(document.getText(), languageOf(document.languageId, document.uri), position);
  return range ? { uri: document.uri, range: lspRange(range) } : null;
}
