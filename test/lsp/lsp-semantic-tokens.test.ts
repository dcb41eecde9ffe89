// Semantic tokens through a real LSP client over stdio: the legend in the capabilities,
// textDocument/semanticTokens/full and /range decoded from LSP's relative encoding, and
// `initializationOptions: { semanticTokens: false }` (what the VS Code extension sends when godot-tools
// is installed) leaving the capability out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LspClient } from './lsp-client';

interface Legend { tokenTypes: string[]; tokenModifiers: string[] }

let lsp: LspClient;
let legend: Legend;

before(async () => {
  const started = await LspClient.start({ diagnosticsDelayMs: 0 });
  lsp = started.client;
  const provider = started.capabilities.semanticTokensProvider as { legend: Legend; full: boolean; range: boolean } | undefined;
  assert.ok(provider, 'the server offers semantic tokens by default');
  assert.equal(provider.full, true);
  assert.equal(provider.range, true);
  legend = provider.legend;
});

after(() => lsp.stop());

const TEXT = [
  'extends Node', // 0
  '# the peer', // 1
  'var peer := PacketPeerDTLS.new()', // 2
  '', // 3
  'func _process(_delta: float) -> void:', // 4
  '\tif peer.get_status() == PacketPeerDTLS.STATUS_CONNECTED:', // 5
  '\t\tpeer.put_packet("hi".to_utf8_buffer())', // 6
].join('\n');

/** LSP's five integers per token (line delta, start delta, length, type, modifier bits) → "line:char text type mods". */
function decode(data: number[], text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let character = 0;
  assert.equal(data.length % 5, 0, 'five integers per token');
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, bits] = data.slice(i, i + 5);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const modifiers = legend.tokenModifiers.filter((_, bit) => bits & (1 << bit)).sort();
    out.push(`${line}:${character} ${lines[line].slice(character, character + length)} ${legend.tokenTypes[type]} ${modifiers.join(',')}`.trimEnd());
  }
  return out;
}

test('semanticTokens/full: keywords, declarations, Godot classes, enum members, methods, strings, comments', async () => {
  const uri = 'untitled:Untitled-tokens-1.gd';
  lsp.open(uri, 'gdscript', TEXT);
  const { data } = await lsp.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
  const tokens = decode(data, TEXT);
  for (const expected of [
    '0:0 extends keyword',
    '0:8 Node class defaultLibrary',
    '1:0 # the peer comment',
    '2:4 peer property declaration',
    '2:12 PacketPeerDTLS class defaultLibrary',
    '4:0 func keyword',
    '4:5 _process function declaration',
    '4:14 _delta parameter declaration',
    '4:22 float type defaultLibrary',
    '5:40 STATUS_CONNECTED enumMember defaultLibrary,readonly',
    '6:2 peer property',
    '6:7 put_packet method defaultLibrary',
    '6:18 "hi" string',
  ]) assert.ok(tokens.includes(expected), `missing ${expected} in:\n${tokens.join('\n')}`);
});

test('semanticTokens/range: only the lines asked for', async () => {
  const uri = 'untitled:Untitled-tokens-2.gd';
  lsp.open(uri, 'gdscript', TEXT);
  const range = { start: { line: 5, character: 0 }, end: { line: 5, character: 60 } };
  const { data } = await lsp.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: { uri }, range });
  const tokens = decode(data, TEXT);
  assert.ok(tokens.length > 3);
  assert.ok(tokens.every((t) => t.startsWith('5:')), tokens.join('\n'));
  assert.ok(tokens.includes('5:1 if keyword'));
});

test('initializationOptions.semanticTokens = false: no semantic tokens capability', async () => {
  const { client, capabilities } = await LspClient.start({ semanticTokens: false });
  try {
    assert.equal(capabilities.semanticTokensProvider, undefined);
    assert.ok(capabilities.hoverProvider, 'the other capabilities stay');
  } finally {
    await client.stop();
  }
});
