// The timeline webview's page: a strict Content-Security-Policy (nothing by default; styles only
// from the extension's media folder; the one script only with this page's nonce), the stylesheet and
// media/timeline.js, which draws the model the extension posts. No `vscode` import: testable as is.
import { randomBytes } from 'node:crypto';

export interface TimelinePageSources {
  /** webview.cspSource */
  cspSource: string;
  /** webview URIs of media/timeline.css and media/timeline.js, as strings. */
  styleUri: string;
  scriptUri: string;
  /** Fresh per page; defaults to 16 random bytes in base64. */
  nonce?: string;
}

const attribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `img-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function timelinePage(sources: TimelinePageSources): string {
  const nonce = sources.nonce ?? randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(sources.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(sources.styleUri)}">
<title>DTLS timeline</title>
</head>
<body>
<main id="root"></main>
<script nonce="${attribute(nonce)}" src="${attribute(sources.scriptUri)}"></script>
</body>
</html>
`;
}
