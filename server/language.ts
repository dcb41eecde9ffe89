// Which kind of document the engine should read: GDScript source, or Markdown with fenced snippets.
import type { DocumentLanguage } from '../engine/sandbox/document';

/** VS Code sends `markdown`; other editors may only give a file name, so fall back on the extension. */
export function languageOf(languageId: string | undefined, uri: string): DocumentLanguage {
  const id = (languageId ?? '').toLowerCase();
  if (id === 'markdown' || id === 'md') return 'markdown';
  if (id === 'gdscript' || id === 'gd') return 'gdscript';
  return /\.(md|markdown)$/i.test(uri.split(/[?#]/)[0]) ? 'markdown' : 'gdscript';
}
