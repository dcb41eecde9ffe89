// The timeline webview's page: strict CSP, the nonce on its one script, nothing inline.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy, timelinePage } from '../../client/timeline-html';

const root = join(__dirname, '..', '..', '..');

test('the page allows nothing by default, styles from the webview source, its script by nonce only', () => {
  const html = timelinePage({ cspSource: 'https://x.vscode-cdn.net', styleUri: 'https://x.vscode-cdn.net/media/timeline.css', scriptUri: 'https://x.vscode-cdn.net/media/timeline.js', nonce: 'abc123' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy('https://x.vscode-cdn.net', 'abc123'));
  assert.match(csp!, /^default-src 'none'; /);
  assert.match(csp!, /style-src https:\/\/x\.vscode-cdn\.net(;|$)/);
  assert.match(csp!, /script-src 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval/);
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [' nonce="abc123" src="https://x.vscode-cdn.net/media/timeline.js"']);
  assert.doesNotMatch(html, /style="|<style/);
});

test('every page gets a fresh nonce', () => {
  const sources = { cspSource: 'c', styleUri: 's', scriptUri: 'j' };
  const nonce = (html: string) => /nonce-([^']+)'/.exec(html)?.[1];
  assert.notEqual(nonce(timelinePage(sources)), nonce(timelinePage(sources)));
});

test('the webview script builds the page with DOM calls, not HTML strings', () => {
  const script = readFileSync(join(root, 'media', 'timeline.js'), 'utf8');
  assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  assert.doesNotMatch(script, /\.style\.|setAttribute\('style'/);
});
