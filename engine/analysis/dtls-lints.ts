// DTLS tutorial mistakes that compile (or nearly) but cannot work, each explained in plain words and,
// where the right edit is obvious, with a quick fix: poll()'s Error compared to a STATUS_*, setup() on
// a PacketPeerDTLS, a UDPServer never polled, put_packet() given a String, put_packet()'s Error added up
// as a byte count, a busy-wait poll loop in _ready()/_init(), clients keyed by IP alone, and packets
// read from a peer that is never polled.

import type * as ast from '../gdscript/ast';
import type { Position, QuickFix, Range, TextEdit } from '../gdscript/range';
import { isSubclass } from '../godot/class-data';
import type { CallSite, CheckResult, LintPreemption } from './checker';
import type { AnalysisProblem } from './problem';
import { SourceText } from './source-text';
import type { Scope, ScriptClass, ScriptSymbol } from './symbols';
import { isBuiltin, type GdType } from './types';

export const DTLS_LINT_CODES = {
  pollAsStatus: 'dtls-poll-result-as-status',
  setupOnPeer: 'dtls-setup-on-peer',
  udpServerNotPolled: 'dtls-udp-server-not-polled',
  putPacketString: 'dtls-put-packet-string',
  putPacketSummed: 'dtls-put-packet-result-summed',
  blockingPollLoop: 'dtls-blocking-poll-loop',
  clientsKeyedByIp: 'dtls-clients-keyed-by-ip',
  readWithoutPoll: 'dtls-read-without-poll',
} as const;

/** Calls that read what a peer received. */
const PACKET_READS: ReadonlySet<string> = new Set(['get_packet', 'get_available_packet_count', 'get_var']);

function isClass(t: GdType, className: string): boolean {
  return t.kind === 'object' && isSubclass(t.className, className);
}

function isStringType(t: GdType | undefined): boolean {
  return t !== undefined && (isBuiltin(t, 'String') || isBuiltin(t, 'StringName'));
}

/** Calls the lints explain better than the generic "not found" / "invalid argument" errors. */
export const preemptGenericErrors: LintPreemption = ({ className, method, argIndex, argType }) => {
  if (method === 'setup' && argIndex === undefined && isSubclass(className, 'PacketPeerDTLS')) return true;
  if (method === 'put_packet' && argIndex === 0 && isStringType(argType) && isSubclass(className, 'PacketPeer')) return true;
  return false;
};

export interface LintInput {
  check: CheckResult;
  root: ScriptClass;
  /** The document's lines, for quick fixes (without them the lints report without fixes). */
  lines?: readonly string[];
}

export function dtlsLints(input: LintInput): AnalysisProblem[] {
  const problems: AnalysisProblem[] = [];
  const text = new FixText(input.lines);
  const { check } = input;
  const pollCalls = new Map<ast.CallExpr, CallSite>();
  for (const site of check.calls) if (site.method === 'poll') pollCalls.set(site.call, site);

  // poll() == STATUS_…
  for (const b of check.binaries) {
    if (b.operator !== '==' && b.operator !== '!=') continue;
    const [callSide, other] = isPollCall(b.left) ? [b.left, b.right] : isPollCall(b.right) ? [b.right, b.left] : [];
    if (!callSide || !other || !isStatusName(other)) continue;
    const call = callSide as ast.CallExpr;
    const site = pollCalls.get(call);
    const returnsVoid = site?.result.kind === 'void';
    problems.push({
      severity: returnsVoid ? 'error' : 'warning',
      code: DTLS_LINT_CODES.pollAsStatus,
      message:
        (returnsVoid ? 'poll() returns nothing (void): it only advances the connection' : 'poll() returns an Error code (OK is 0), not the connection status') +
        ': comparing it with a STATUS_* constant does not tell whether the peer is connected. ' +
        'Call poll(), then compare get_status() with the STATUS_* constant.',
      range: b.range,
      fixes: text.ok ? pollAsStatusFix(text, call, site?.statement) : undefined,
    });
  }

  for (const site of check.calls) {
    const receiverClass = site.receiverType;
    // setup() on a PacketPeerDTLS
    if (site.method === 'setup' && isClass(receiverClass, 'PacketPeerDTLS') && site.call.callee.kind === 'Member') {
      problems.push({
        severity: 'error',
        code: DTLS_LINT_CODES.setupOnPeer,
        message:
          'PacketPeerDTLS has no setup(): setup(TLSOptions.server(key, cert)) belongs to DTLSServer, which then hands out ' +
          'server-side peers with take_connection(udp_peer). A client does not set up anything: it calls ' +
          'connect_to_peer(udp_peer, "hostname", TLSOptions.client(...)) on its PacketPeerDTLS.',
        range: site.call.callee.nameRange,
      });
    }
    // put_packet("text")
    if (site.method === 'put_packet' && isClass(receiverClass, 'PacketPeer') && isStringType(site.argTypes[0]) && site.call.args.length === 1) {
      const arg = site.call.args[0];
      problems.push({
        severity: 'error',
        code: DTLS_LINT_CODES.putPacketString,
        message:
          'put_packet() sends bytes (a PackedByteArray), not a String: convert the text with .to_utf8_buffer() ' +
          '(the other side reads it back with get_packet().get_string_from_utf8()).',
        range: arg.range,
        fixes: text.ok ? [{ title: 'Convert with .to_utf8_buffer()', safe: true, edits: toUtf8Edits(arg) }] : undefined,
      });
    }
  }

  // put_packet()'s Error added up as a byte count
  const putPackets = new Set(check.calls.filter((c) => c.method === 'put_packet' && c.receiver && isClass(c.receiverType, 'PacketPeer')).map((c) => c.call));
  const isPutPacket = (e: ast.Expr): e is ast.CallExpr => e.kind === 'Call' && putPackets.has(e);
  const summedMessage =
    'put_packet() returns an Error code (OK is 0), not the number of bytes sent: adding it up counts nothing. ' +
    "Check that it returns OK and add the packet's size() instead.";
  const reportedSums = new Set<ast.Expr>();
  for (const s of check.assignments) {
    if (s.operator !== '+=' || !isPutPacket(s.value)) continue;
    reportedSums.add(s.value);
    problems.push({
      severity: 'warning', code: DTLS_LINT_CODES.putPacketSummed, message: summedMessage, range: s.value.range,
      fixes: text.ok ? summedFix(text, s, s.value) : undefined,
    });
  }
  for (const b of check.binaries) {
    if (b.operator !== '+') continue;
    for (const side of [b.left, b.right]) {
      if (!isPutPacket(side) || reportedSums.has(side)) continue;
      reportedSums.add(side);
      problems.push({ severity: 'warning', code: DTLS_LINT_CODES.putPacketSummed, message: summedMessage, range: side.range });
    }
  }

  // while … poll() in _ready() / _init()
  const blockingLoops = new Set<ast.WhileStatement>();
  for (const site of pollCalls.values()) {
    if ((site.functionName === '_ready' || site.functionName === '_init') && site.loops.length > 0 && site.receiverType.kind === 'object') {
      const loop = site.loops[0];
      if (blockingLoops.has(loop) || check.awaitingLoops.has(loop)) continue;
      blockingLoops.add(loop);
      problems.push({
        severity: 'info',
        code: DTLS_LINT_CODES.blockingPollLoop,
        message:
          `This loop polls inside ${site.functionName}(): in Godot it holds up the whole frame (nothing else runs, the window ` +
          'freezes) until the loop ends. Poll once per frame from _process(delta), or in a Thread. (The lab runs it anyway.)',
        range: { start: loop.range.start, end: loop.condition.range.end },
      });
    }
  }

  // dictionary[get_packet_ip()] = …
  for (const s of check.assignments) {
    if (s.target.kind !== 'Subscript') continue;
    const key = s.target.index;
    const receiver = ipOnlyKey(key, check);
    if (receiver === undefined) continue;
    problems.push({
      severity: 'warning',
      code: DTLS_LINT_CODES.clientsKeyedByIp,
      message:
        'Clients are keyed by IP address alone: two clients on one machine (or behind one NAT) differ only by port, ' +
        'so they share one entry and overwrite each other. Key by address and port, e.g. ip + ":" + str(port).',
      range: key.range,
      fixes:
        text.ok && receiver
          ? [{ title: 'Key by address and port', safe: false, edits: [{ range: key.range, newText: `${receiver}.get_packet_ip() + ":" + str(${receiver}.get_packet_port())` }] }]
          : undefined,
    });
  }

  // reading from a PacketPeerDTLS that is never polled
  const reported = new Set<ScriptSymbol>();
  for (const site of check.calls) {
    const symbol = site.receiverSymbol;
    if (!symbol || reported.has(symbol) || symbol.escapes || symbol.calledMethods?.has('poll')) continue;
    if (!PACKET_READS.has(site.method) || !isClass(symbol.type, 'PacketPeerDTLS')) continue;
    reported.add(symbol);
    problems.push({
      severity: 'warning',
      code: DTLS_LINT_CODES.readWithoutPoll,
      message:
        `"${symbol.name}" is never polled: a PacketPeerDTLS only handshakes and receives when poll() is called, so ` +
        `${site.method}() never sees a packet. Call ${symbol.name}.poll() before reading (e.g. every frame in _process).`,
      range: site.call.callee.kind === 'Member' ? site.call.callee.nameRange : site.call.range,
      fixes: text.ok && site.statement ? [{ title: `Call ${symbol.name}.poll() first`, safe: false, edits: [text.insertLineBefore(site.statement.range.start, `${symbol.name}.poll()`)] }] : undefined,
    });
  }

  // a UDPServer never polled
  for (const symbol of udpServers(input.root, check.scopes)) {
    if (symbol.escapes || symbol.calledMethods?.has('poll')) continue;
    problems.push({
      severity: 'warning',
      code: DTLS_LINT_CODES.udpServerNotPolled,
      message:
        `The UDPServer "${symbol.name}" is never polled: without poll() it never accepts a connection ` +
        '(is_connection_available() stays false). Call poll() every frame, e.g. at the top of _process(delta).',
      range: symbol.nameRange,
      fixes: text.ok && symbol.owner === input.root ? udpServerFix(text, input.root, symbol) : undefined,
    });
  }
  return problems;
}

function isPollCall(e: ast.Expr): boolean {
  return e.kind === 'Call' && e.callee.kind === 'Member' && e.callee.name === 'poll' && e.args.length === 0;
}

function isStatusName(e: ast.Expr): boolean {
  const name = e.kind === 'Member' ? e.name : e.kind === 'Identifier' ? e.name : undefined;
  return name !== undefined && name.startsWith('STATUS_');
}

/** The receiver's source text when `key` is `receiver.get_packet_ip()` ('' for a variable holding it), else undefined. */
function ipOnlyKey(key: ast.Expr, check: CheckResult): string | undefined {
  if (key.kind === 'Call' && key.callee.kind === 'Member' && key.callee.name === 'get_packet_ip' && key.callee.object.kind === 'Identifier')
    return key.callee.object.name;
  if (key.kind === 'Identifier') {
    const symbol = check.identifiers.get(key);
    const init = symbol && check.initializers.get(symbol);
    if (init?.kind === 'Call' && init.callee.kind === 'Member' && init.callee.name === 'get_packet_ip') return '';
  }
  return undefined;
}

function udpServers(root: ScriptClass, scopes: readonly Scope[]): ScriptSymbol[] {
  const out: ScriptSymbol[] = [];
  for (const m of root.members.values()) if (m.kind === 'variable' && isClass(m.type, 'UDPServer')) out.push(m);
  for (const scope of scopes) for (const s of scope.symbols) if (s.kind === 'local-variable' && isClass(s.type, 'UDPServer')) out.push(s);
  return out;
}

function pollAsStatusFix(text: FixText, call: ast.CallExpr, statement: ast.Statement | undefined): QuickFix[] | undefined {
  if (call.callee.kind !== 'Member' || !statement) return undefined;
  const receiver = text.slice(call.callee.object.range);
  const edits: TextEdit[] = [text.insertLineBefore(statement.range.start, `${receiver}.poll()`)];
  edits.push({ range: call.callee.nameRange, newText: 'get_status' });
  if (statement.kind === 'While' && statement.body.length > 0) edits.push(text.insertLineBefore(statement.body[0].range.start, `${receiver}.poll()`));
  return [{ title: `Poll, then compare ${receiver}.get_status()`, safe: false, edits: sortEdits(edits) }];
}

function toUtf8Edits(arg: ast.Expr): TextEdit[] {
  const simple = ['Literal', 'Identifier', 'Call', 'Member', 'Subscript', 'Self'].includes(arg.kind);
  if (simple) return [{ range: { start: arg.range.end, end: arg.range.end }, newText: '.to_utf8_buffer()' }];
  return [
    { range: { start: arg.range.start, end: arg.range.start }, newText: '(' },
    { range: { start: arg.range.end, end: arg.range.end }, newText: ').to_utf8_buffer()' },
  ];
}

function summedFix(text: FixText, s: ast.AssignStatement, call: ast.CallExpr): QuickFix[] | undefined {
  const arg = call.args[0];
  if (!arg || arg.kind !== 'Identifier' || s.range.start.line !== s.range.end.line) return undefined;
  const indent = text.indentOf(s.range.start.line);
  const unit = text.indentUnit();
  const newText = `if ${text.slice(call.range)} == OK:\n${indent}${unit}${text.slice(s.target.range)} += ${arg.name}.size()`;
  return [{ title: `Add ${arg.name}.size() when put_packet() returns OK`, safe: false, edits: [{ range: s.range, newText }] }];
}

function udpServerFix(text: FixText, root: ScriptClass, symbol: ScriptSymbol): QuickFix[] | undefined {
  const process = root.members.get('_process');
  const unit = text.indentUnit();
  if (process?.fn) {
    const first = process.fn.body[0];
    if (!first) return undefined;
    return [{ title: `Call ${symbol.name}.poll() in _process()`, safe: false, edits: [text.insertLineBefore(first.range.start, `${symbol.name}.poll()`)] }];
  }
  const last = [...root.body.members].sort((a, b) => a.range.end.line - b.range.end.line)[root.body.members.length - 1];
  if (!last) return undefined;
  const end = { line: last.range.end.line, character: text.lineLength(last.range.end.line) };
  return [{
    title: `Add _process() that calls ${symbol.name}.poll()`,
    safe: false,
    edits: [{ range: { start: end, end }, newText: `\n\n\nfunc _process(_delta):\n${unit}${symbol.name}.poll()` }],
  }];
}

function sortEdits(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** One level of indentation as the document writes it (a tab unless it indents with spaces). */
export function indentUnitOf(lines: readonly string[]): string {
  for (const l of lines) {
    const m = /^([ \t]+)\S/.exec(l);
    if (m) return m[1][0] === '\t' ? '\t' : m[1];
  }
  return '\t';
}

/** The document's lines, for building edits (ranges are document ranges). */
class FixText {
  private source: SourceText | undefined;

  constructor(private readonly lines: readonly string[] | undefined) {}

  get ok(): boolean {
    return this.lines !== undefined;
  }

  slice(r: Range): string {
    this.source ??= new SourceText((this.lines ?? []).join('\n'));
    return this.source.slice(r);
  }

  lineLength(line: number): number {
    return (this.lines?.[line] ?? '').length;
  }

  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lines?.[line] ?? '')?.[0] ?? '';
  }

  indentUnit(): string {
    return indentUnitOf(this.lines ?? []);
  }

  /** An edit inserting `code` as a line of its own before the statement starting at `at`, at its indentation. */
  insertLineBefore(at: Position, code: string): TextEdit {
    const indent = this.indentOf(at.line);
    const start = { line: at.line, character: indent.length };
    return { range: { start, end: start }, newText: `${code}\n${indent}` };
  }
}
