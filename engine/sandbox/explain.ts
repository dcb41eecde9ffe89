// After a run: the `# @dtls expect …` checks, and explainers — plain-language reasons for what went
// wrong (or surprised), each blaming a line and suggesting a fix.

import { dtlsPeersOf, type PacketPeerDTLS } from '../godot/packet-peer-dtls';
import { udpServersOf } from '../godot/udp-server';
import type { SnippetPair } from './document';
import { listenSites, portMention } from './listen-sites';
import { STATUS_NAMES } from './options';
import type { PeerProcess } from './peer-process';
import type { Explainer, ExpectationResult, Problem, Range, RunReport } from './report';

/** Evaluates the expectations of both snippets against a finished report. */
export function checkExpectations(pair: SnippetPair, report: RunReport): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const runProblems = [...report.problems];
  for (const snippet of [pair.server, pair.client]) {
    const peer = report.peers.find((p) => p.name === snippet.name);
    for (const e of snippet.expectations ?? []) {
      let passed = false;
      let detail: string;
      if (!peer) detail = 'the peer did not run';
      else if (e.kind === 'status') {
        const final = peer.finalStatus;
        passed = final?.status === e.status;
        detail = `expected ${STATUS_NAMES[e.status]} (${e.status}), final status ${final ? `${final.statusName} (${final.status})` : 'none (no PacketPeerDTLS)'}`;
      } else if (e.kind === 'print') {
        passed = peer.prints.some((p) => p.text === e.value);
        const shown = peer.prints.slice(0, 5).map((p) => JSON.stringify(p.text));
        detail = passed ? `printed ${JSON.stringify(e.value)}` : `never printed ${JSON.stringify(e.value)}; printed: ${shown.length ? shown.join(', ') + (peer.prints.length > 5 ? ', …' : '') : 'nothing'}`;
      } else if (e.kind === 'error') {
        const hit = runProblems.find((p) => p.message.includes(e.value));
        passed = hit !== undefined;
        detail = hit ? `${hit.severity} at line ${hit.range.start.line + 1}: ${hit.message}` : `no problem mentions ${JSON.stringify(e.value)}`;
      } else {
        const done = report.timeline.find((t) => t.peer === snippet.name && (t.kind === 'handshake' || (t.kind === 'status' && t.status === 2)));
        passed = done !== undefined && done.at <= e.maxMs;
        detail = done ? `handshake done at ${done.at.toFixed(1)} ms (limit ${e.maxMs} ms)` : 'the handshake never completed';
      }
      results.push({ text: e.text, range: e.range, passed, detail, peer: snippet.name });
    }
  }
  return results;
}

function lineOf(range: Range): number {
  return range.start.line + 1;
}

/** The explainers of a run (the peers' Godot objects are still there to look at). */
export function explainRun(pair: SnippetPair, report: RunReport, processes: PeerProcess[]): Explainer[] {
  const out: Explainer[] = [];
  const add = (e: Explainer) => {
    if (!out.some((o) => o.code === e.code && o.range.start.line === e.range.start.line)) out.push(e);
  };
  const server = processes.find((p) => p.snippet === pair.server);
  const client = processes.find((p) => p.snippet === pair.client);
  const dtlsOf = (p: PeerProcess | undefined): PacketPeerDTLS[] => (p ? (dtlsPeersOf.get(p.runtime) ?? []) : []);
  const clientSessions = dtlsOf(client).filter((d) => d.observed.role === 'client');
  const clientTrying = clientSessions.some((d) => d.status !== 2);

  for (const d of clientSessions) {
    const at = d.observed.startRange!;
    // (a) poll() never called while handshaking.
    if (d.status === 1 && d.observed.pollCalls === 0)
      add({
        code: 'poll-not-called',
        severity: 'warning',
        peer: client?.name,
        range: at,
        message: `The handshake never progressed: this PacketPeerDTLS stayed STATUS_HANDSHAKING because poll() was never called on it after connect_to_peer() (line ${lineOf(at)}). Nothing moves in Godot's DTLS without poll().`,
        fix: 'Call poll() on the PacketPeerDTLS until get_status() is no longer STATUS_HANDSHAKING, e.g. `while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING: dtls.poll(); OS.delay_msec(10)`, or poll() it every frame in _process().',
      });
    const failure = d.failure;
    // (b) the client verifies certificates and the server's is self-signed.
    if (failure?.kind === 'untrusted-certificate' && d.observed.tlsMode === 'client')
      add({
        code: 'untrusted-certificate',
        severity: 'warning',
        peer: client?.name,
        range: at,
        message: `The client refused the server's certificate (${failure.message}): ${d.observed.trustedGiven ? 'the certificate given to TLSOptions.client() is not the one that signed the server\'s' : 'TLSOptions.client() trusts only the system CAs, and the server\'s certificate is self-signed'}.`,
        fix: 'Trust the server\'s certificate: `TLSOptions.client(cert)` with the server\'s X509Certificate (e.g. saved to user:// by the server and loaded here), or `TLSOptions.client_unsafe()` to skip verification while testing.',
      });
    // (c) host name mismatch.
    if (failure?.kind === 'hostname-mismatch') {
      const names = /certificate is for (.*), not for '(.*)'/.exec(failure.message);
      add({
        code: 'hostname-mismatch',
        severity: 'warning',
        peer: client?.name,
        range: at,
        message: names
          ? `Host name mismatch: the client asked for "${names[2]}" but the server's certificate is for ${names[1]} (status STATUS_ERROR_HOSTNAME_MISMATCH).`
          : `Host name mismatch: ${failure.message}.`,
        fix: names
          ? `Pass a host name the certificate names to connect_to_peer() (${names[1]}), or make the server's certificate for "${names[2]}" (CN=${names[2]} in generate_self_signed_certificate()).`
          : 'Make the host name given to connect_to_peer() match the certificate.',
      });
    }
  }

  const servers = server ? (udpServersOf.get(server.runtime) ?? []) : [];
  // (d) the UDPServer listened but was never polled while a client was trying.
  for (const u of servers)
    if (u.listenedAt && !u.polled && clientTrying)
      add({
        code: 'udp-server-not-polled',
        severity: 'warning',
        peer: server?.name,
        range: u.listenedAt.range,
        message: `The UDPServer listening on port ${u.listenedAt.port} was never polled, so the client's datagrams were never read and no connection became available.`,
        fix: 'Call `udp_server.poll()` every frame (in _process()) before `is_connection_available()` / `take_connection()`.',
      });

  // (e) the first connection failed because of the cookie exchange: informational.
  const cookie = report.timeline.find((e) => e.kind === 'status' && e.peer === pair.server.name && e.status === 3 && e.note?.startsWith('cookie exchange'));
  if (cookie && cookie.kind === 'status' && cookie.range)
    add({
      code: 'cookie-exchange',
      severity: 'info',
      peer: server?.name,
      range: cookie.range,
      message: 'The first connection taken here reads as STATUS_ERROR: that is the cookie exchange (HelloVerifyRequest), not a failure. The client retries with the cookie and arrives as a new connection.',
      fix: 'Keep only connections whose status is STATUS_HANDSHAKING after take_connection(), and keep calling udp_server.poll() so the retry is picked up.',
    });

  // (f) put_packet() before CONNECTED.
  for (const p of processes)
    for (const d of dtlsOf(p))
      for (const early of d.observed.earlySends.slice(0, 1))
        add({
          code: 'put-before-connected',
          severity: 'warning',
          peer: p.name,
          range: early.range,
          message: `put_packet() was called while the session was ${early.statusName}: it returned ERR_UNCONFIGURED and nothing was sent.`,
          fix: 'Send only once get_status() == PacketPeerDTLS.STATUS_CONNECTED: poll() until then (in a loop or in _process()).',
        });

  // (g) the client sends to a port where nothing listens. The server's port comes from the run
  // (its UDPServers that listen); when none listened, from its code — snippet, fragments and
  // call= expressions — where it calls listen()/bind().
  const listening = [...new Set(servers.filter((u) => u.listenedAt && u.isListening()).map((u) => u.listenedAt!.port))];
  const lost = report.timeline.find((e) => e.kind === 'drop' && e.peer === pair.client.name && e.reason.startsWith('nothing listens on'));
  if (lost && lost.kind === 'drop' && (clientTrying || clientSessions.length === 0)) {
    const port = Number(/:(\d+)/.exec(lost.reason)?.[1]);
    const range = portMention(pair.client, port) ?? clientSessions[0]?.observed.startRange ?? annotation(pair.client.annotationLine);
    const written = listening.length > 0 ? [] : listenSites(pair.server);
    const writtenPorts = [...new Set(written.map((site) => site.port))];
    const where = (site: (typeof written)[number]) => `line ${lineOf(site.range)}${site.functionName ? `, in ${site.functionName}()` : ''}`;
    const notRun = `but no socket of the server was listening during the run (${written.length === 1 ? 'that line' : 'those lines'} did not run, or the call failed)`;
    const serverSide = listening.length
      ? `: the server listens on port ${listening.join(', ')}`
      : written.length
        ? `: the server's code listens on port ${writtenPorts.join(', ')} (${written.map(where).join('; ')}), ${notRun}`
        : ' (the server never listened on a port)';
    const first = written[0];
    const lifecycle = !first?.functionName || ['_ready', '_init', '_enter_tree'].includes(first.functionName);
    const reach = first ? `make the server reach its ${first.method}() call (${where(first)}) before the client sends${lifecycle ? '' : `, e.g. call ${first.functionName}() from _ready()`}` : '';
    const serverPort = listening[0] ?? writtenPorts.find((p) => p !== port);
    add({
      code: 'nothing-listening',
      severity: 'warning',
      peer: client?.name,
      range,
      message: `The client sends to 127.0.0.1:${port}, where nothing listens${serverSide}.`,
      fix: serverPort !== undefined
        ? `Use the server's port: connect_to_host("127.0.0.1", ${serverPort}).${reach ? ` And ${reach}.` : ''}`
        : reach
          ? `${reach[0].toUpperCase()}${reach.slice(1)}.`
          : 'Make the server call udp_server.listen(PORT) and the client connect_to_host("127.0.0.1", PORT) with the same PORT.',
    });
  }

  // (h) a limit stopped the run.
  for (const problem of report.problems) {
    if (problem.code !== 'step-budget' && problem.code !== 'timeout') continue;
    const stepBudget = problem.code === 'step-budget';
    add({
      code: `limit-${problem.code}`,
      severity: 'info',
      peer: problem.peer,
      range: problem.range,
      message: stepBudget
        ? `The run hit the step budget (steps without waiting) at line ${lineOf(problem.range)}: a loop there never waits.`
        : `The run hit its time limit while ${problem.peer ?? 'a peer'} was still at line ${lineOf(problem.range)}.`,
      fix: stepBudget
        ? 'Make the loop wait: call dtls.poll() and OS.delay_msec(10) in it, or move the work to _process().'
        : 'Find why the peer never finishes (the other explainers may say), or give it more time with timeout=MS on its "# @dtls" line.',
    });
  }
  return out;
}

function annotation(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/** The problems that explainers add to a report (one per explainer). */
export function explainerProblems(explainers: Explainer[]): Problem[] {
  return explainers.map((e) => ({
    severity: e.severity ?? 'info',
    code: `explain-${e.code}`,
    message: e.fix ? `${e.message} Fix: ${e.fix}` : e.message,
    range: e.range,
    peer: e.peer,
  }));
}
