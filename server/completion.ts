// textDocument/completion: the analyzer's completions (engine/analysis/queries.ts) with LSP kinds.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt, type CompletionEntry } from '../engine/analysis/queries';
import { languageOf } from './language';

/** Characters that open a completion list: `.` (members), `@` (annotations, `# @dtls`), `"` (names in strings). */
export const COMPLETION_TRIGGERS = ['.', '@', '"'];

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  method: CompletionItemKind.Method,
  property: CompletionItemKind.Property,
  constant: CompletionItemKind.Constant,
  enum: CompletionItemKind.Enum,
  signal: CompletionItemKind.Event,
  class: CompletionItemKind.Class,
  keyword: CompletionItemKind.Keyword,
  variable: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  parameter: CompletionItemKind.Variable,
  annotation: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
};

/** LSP snippet syntax (`$1`, `${1:name}`) in an insert text: only `snippet` entries may use it. */
const SNIPPET_SYNTAX = /\$\{?\d/;

export function toCompletionItem(entry: CompletionEntry): CompletionItem {
  const item: CompletionItem = { label: entry.label, kind: KIND[entry.kind] ?? CompletionItemKind.Text };
  if (entry.detail) item.detail = entry.detail;
  if (entry.documentation) item.documentation = { kind: MarkupKind.Markdown, value: entry.documentation };
  if (entry.sortText) item.sortText = entry.sortText;
  if (entry.insertText !== undefined) {
    item.insertText = entry.insertText;
    item.insertTextFormat = entry.kind === 'snippet' && SNIPPET_SYNTAX.test(entry.insertText) ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  }
  return item;
}

export function completion(document: TextDocument, position: Position): CompletionItem[] {
  return completionsAt(document.getText(), languageOf(document.languageId, document.uri), position).map(toCompletionItem);
}
