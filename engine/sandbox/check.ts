// Static problems of a document, found without running anything: annotations and syntax.

import { parse } from '../gdscript';
import { assembleScript } from './assemble';
import { readSnippets, type DocumentLanguage } from './document';
import type { Problem } from './report';

export function checkDocument(text: string, language: DocumentLanguage): Problem[] {
  const document = readSnippets(text, language);
  const problems = [...document.problems];
  // Each snippet as it runs: with its fragments and call= functions (see assemble.ts).
  for (const snippet of document.snippets) problems.push(...assembleScript(snippet).problems);
  // A plain .gd script without annotations is still GDScript worth checking.
  if (language === 'gdscript' && document.snippets.length === 0)
    for (const e of parse(text).errors) problems.push({ severity: 'error', code: 'syntax', message: e.message, range: e.range });
  return problems;
}
