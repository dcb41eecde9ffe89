// The editor queries the language server adapts to LSP (hover, completion, signature help, definition,
// document symbols). Each takes the document's text and language and works on the cached analysis of
// that text (analyze-document.ts); one file per query.

export { hoverAt, type HoverResult } from './hover';
export { completionsAt, type CompletionEntry } from './completion';
export { signatureHelpAt, type SignatureHelpResult } from './signature-help';
export { definitionAt } from './definition';
export { documentSymbols, type SymbolEntry } from './document-symbols';
export type { DocumentLanguage } from '../sandbox/document';
export type { Position, Range } from '../gdscript/range';
