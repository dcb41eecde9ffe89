// textDocument/documentSymbol: the outline (classes, functions, variables, signals; in Markdown one
// entry per snippet with its members as children), from engine/analysis/queries.ts.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentSymbols, type SymbolEntry } from '../engine/analysis/queries';
import { lspRange } from './diagnostics';
import { languageOf } from './language';

const KIND: Record<SymbolEntry['kind'], SymbolKind> = {
  class: SymbolKind.Class,
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  constant: SymbolKind.Constant,
  signal: SymbolKind.Event,
  enum: SymbolKind.Enum,
  snippet: SymbolKind.Module,
};

export function toDocumentSymbol(entry: SymbolEntry): DocumentSymbol {
  const range = lspRange(entry.range);
  let selectionRange = lspRange(entry.selectionRange);
  // LSP requires the selection range to lie inside the range; fall back on the range's start.
  const inside = (p: typeof range.start) =>
    (p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character))
    && (p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character));
  if (!inside(selectionRange.start) || !inside(selectionRange.end)) selectionRange = { start: range.start, end: range.start };
  return {
    name: entry.name || '(unnamed)',
    kind: KIND[entry.kind] ?? SymbolKind.Variable,
    detail: entry.detail,
    range,
    selectionRange,
    children: entry.children?.map(toDocumentSymbol),
  };
}

export function symbols(document: TextDocument): DocumentSymbol[] {
  return documentSymbols(document.getText(), languageOf(document.languageId, document.uri)).map(toDocumentSymbol);
}
