// textDocument/semanticTokens/full and /range: the engine's semantic tokens (engine/analysis/semantic-tokens.ts)
// in LSP's relative encoding, with a legend made of the engine's type and modifier lists.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  semanticTokens as engineTokens,
  type SemanticTokenModifier,
  type SemanticTokenType,
} from '../engine/analysis/semantic-tokens';
import { languageOf } from './language';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

const TYPE_INDEX = new Map<SemanticTokenType, number>(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]));
const MODIFIER_BIT = new Map<SemanticTokenModifier, number>(SEMANTIC_TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

/** The tokens of the whole document, or of the lines `range` touches. */
export function semanticTokens(document: TextDocument, range?: Range): SemanticTokens {
  const lines = range ? { start: range.start.line, end: range.end.line } : undefined;
  const builder = new SemanticTokensBuilder();
  for (const t of engineTokens(document.getText(), languageOf(document.languageId, document.uri), lines)) {
    let modifiers = 0;
    for (const m of t.modifiers) modifiers |= MODIFIER_BIT.get(m) ?? 0;
    builder.push(t.line, t.character, t.length, TYPE_INDEX.get(t.type) ?? 0, modifiers);
  }
  return builder.build();
}
