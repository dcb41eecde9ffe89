// Static problems of a document, found without running anything: annotations and syntax.

import { parse } from '../gdscript';
import { readSnippets, type DocumentLanguage } from './document';
import type { Problem } from './report';

export function checkDocument(text: string, language: DocumentLanguage): Problem[] {
  const document = readSnippets(text, language);
  const problems = [...document.problems];
  for (const snippet of document.snippets) {
    const { errors } = parse(snippet.source, { lineOffset: snippet.startLine });
    for (const e of errors) problems.push({ severity: 'error', code: 'syntax', message: e.message, range: e.range, peer: snippet.name });
  }
  // A plain .gd script without annotations is still GDScript worth checking.
  if (language === 'gdscript' && document.snippets.length === 0)
    for (const e of parse(text).errors) problems.push({ severity: 'error', code: 'syntax', message: e.message, range: e.range });
  return problems;
}
