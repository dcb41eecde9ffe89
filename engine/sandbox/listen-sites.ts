// Where a peer's code names a port, read from its text (not from a run): the snippet, the
// `# @dtls … part` fragments merged into it and its `call=` expressions. The explainers use it
// when the run itself cannot tell (the server never reached its listen() call, it failed, or it
// bound a PacketPeerUDP), and to point at the client's line that names a wrong port also when that
// line is in a fragment.
//
// A port is an integer literal, a `const`/`var` initialized with one (anywhere in the peer's code),
// or a parameter of the enclosing function when the function is called with a literal there
// (in the code or in a `call=` expression), e.g. `call=start_server(4242)`.

import type { Snippet } from './document';
import type { Range } from './report';

export interface PortSite {
  port: number;
  /** Where the call names the port (document coordinates, the argument's columns). */
  range: Range;
  /** The method called: `listen` or `bind` (listenSites), `connect_to_host` or `set_dest_address` (connectSites). */
  method: string;
  /** The function the call is in, if any. */
  functionName?: string;
}

interface SourceLine {
  text: string;
  /** Document line. */
  line: number;
  /** Index of the piece (snippet or fragment) the line is in. */
  piece: number;
}

/** The lines of a peer's code, in document coordinates, without its annotation lines and comments. */
function codeLines(snippet: Snippet): SourceLine[] {
  const pieces = [snippet, ...(snippet.fragments ?? [])];
  const out: SourceLine[] = [];
  pieces.forEach((p, piece) => {
    const lines = p.source.split('\n');
    // Line 0 of a snippet or fragment is its `# @dtls` annotation.
    for (let i = 1; i < lines.length; i++) {
      const text = lines[i].replace(/#.*$/, '');
      if (text.trim() !== '') out.push({ text, line: p.startLine + i, piece });
    }
  });
  return out;
}

const INTEGER = /^\d+$/;
/** `.listen(PORT` / `.bind(PORT`: group 1 the method, group 2 the port argument. */
const LISTEN_CALL = /\.(listen|bind)\(\s*([A-Za-z_]\w*|\d+)/g;
/** `.connect_to_host(HOST, PORT` / `.set_dest_address(HOST, PORT`: the same groups. */
const CONNECT_CALL = /\.(connect_to_host|set_dest_address)\(\s*[^,()]+,\s*([A-Za-z_]\w*|\d+)/g;

/** The ports a peer's code listens on (UDPServer.listen, TCPServer.listen, PacketPeerUDP.bind). */
export function listenSites(snippet: Snippet): PortSite[] {
  return portSites(snippet, LISTEN_CALL);
}

/** The ports a peer's code sends to (PacketPeerUDP.connect_to_host, set_dest_address, StreamPeerTCP.connect_to_host). */
export function connectSites(snippet: Snippet): PortSite[] {
  return portSites(snippet, CONNECT_CALL);
}

function portSites(snippet: Snippet, call: RegExp): PortSite[] {
  const lines = codeLines(snippet);
  const sites: PortSite[] = [];
  for (const l of lines) {
    for (const m of l.text.matchAll(call)) {
      const argument = m[2];
      const character = (m.index ?? 0) + m[0].length - argument.length;
      const range = { start: { line: l.line, character }, end: { line: l.line, character: character + argument.length } };
      const functionName = enclosingFunction(lines, l)?.name;
      for (const port of resolvePort(argument, l, lines, snippet)) sites.push({ port, range, method: m[1], ...(functionName ? { functionName } : {}) });
    }
  }
  return sites;
}

/** The values an argument can stand for: a literal, a constant, or the literal arguments its function is called with. */
function resolvePort(argument: string, at: SourceLine, lines: SourceLine[], snippet: Snippet): number[] {
  if (INTEGER.test(argument)) return [Number(argument)];
  const declared = new RegExp(`^\\s*(?:static\\s+)?(?:const|var)\\s+${argument}\\b\\s*(?::\\s*\\w+\\s*)?:?=\\s*(\\d+)\\s*$`);
  for (const l of lines) {
    const m = declared.exec(l.text);
    if (m) return [Number(m[1])];
  }
  const fn = enclosingFunction(lines, at);
  const index = fn?.params.indexOf(argument) ?? -1;
  if (!fn || index < 0) return [];
  const callTexts = [...lines.map((l) => l.text), ...(snippet.calls ?? []).map((c) => c.expression)];
  const ports = new Set<number>();
  const call = new RegExp(`(?:^|[^\\w.])${fn.name}\\(([^()]*)\\)`, 'g');
  for (const text of callTexts) {
    for (const m of text.matchAll(call)) {
      const value = m[1].split(',')[index]?.trim();
      if (value !== undefined && INTEGER.test(value)) ports.add(Number(value));
    }
  }
  return [...ports];
}

/** The `func` a line belongs to: the nearest `func` line above it (same snippet or fragment) with less indentation. */
function enclosingFunction(lines: SourceLine[], at: SourceLine): { name: string; params: string[] } | undefined {
  const indent = (text: string) => /^\s*/.exec(text)![0].length;
  const mine = indent(at.text);
  for (let i = lines.indexOf(at); i >= 0; i--) {
    const l = lines[i];
    if (l.piece !== at.piece) break;
    const m = /^\s*(?:static\s+)?func\s+(\w+)\s*\(([^)]*)\)/.exec(l.text);
    if (m && (indent(l.text) < mine || l === at)) {
      const params = m[2].split(',').map((p) => p.trim().split(/[\s:=]/)[0]).filter((p) => p !== '');
      return { name: m[1], params };
    }
  }
  return undefined;
}

/** The line of a peer's code that names `port` (a connect_to_host()/set_dest_address() line first), in the snippet or its fragments. */
export function portMention(snippet: Snippet, port: number): Range | undefined {
  const pattern = new RegExp(`(^|[^0-9])${port}([^0-9]|$)`);
  let fallback: Range | undefined;
  for (const l of codeLines(snippet)) {
    const m = pattern.exec(l.text);
    if (!m) continue;
    const character = m.index + m[1].length;
    const range = { start: { line: l.line, character }, end: { line: l.line, character: character + String(port).length } };
    if (/connect_to_host|set_dest_address|connect_to_peer/.test(l.text)) return range;
    fallback ??= range;
  }
  return fallback;
}
