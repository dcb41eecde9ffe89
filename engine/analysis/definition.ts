// Go to definition: where a script symbol (variable, function, class, signal, enum, parameter, local) is
// declared. Godot API names have no place in the document (hover shows them instead).

import type { Position, Range } from '../gdscript/range';
import type { DocumentLanguage } from '../sandbox/document';
import { declarationAt, occurrenceAt } from './hover';
import { queryContext } from './query-context';

export function definitionAt(text: string, language: DocumentLanguage, position: Position): Range | undefined {
  const ctx = queryContext(text, language, position);
  if (!ctx) return undefined;
  const symbol = occurrenceAt(ctx.unit.analysis.occurrences, position)?.symbol ?? declarationAt(ctx.unit.analysis.root, position);
  return symbol?.nameRange;
}
