// Runs one server/client pair: both scripts as their own "processes", interleaved by a scheduler
// over a virtual link (deterministic, virtual clock) or real UDP sockets on 127.0.0.1 (wall clock).

import { performance } from 'node:perf_hooks';
import { backgroundWork, DEFAULT_GODOT_LIMITS, type DatagramNetwork, type FileRoots, type GodotLimits, type StreamNetwork } from '../godot/runtime';
import { assembleScript } from './assemble';
import type { Snippet, SnippetPair } from './document';
import { checkExpectations, explainerProblems, explainRun } from './explain';
import type { LinkShape } from './options';
import { DEFAULT_LIMITS, SLICE_STEPS, VIRTUAL_MS_PER_STEP, type RunLimits } from './limits';
import { PeerProcess } from './peer-process';
import type { Problem, RunReport, TimelineEntry } from './report';
import { TcpNetwork } from './tcp-network';
import { UdpNetwork } from './udp-network';
import { VirtualClock } from './virtual-clock';
import { VirtualNetwork, type LinkSimulation } from './virtual-network';
import { VirtualStreamNetwork } from './virtual-streams';

export interface RunOptions {
  link: 'virtual' | 'udp';
  timeoutMs?: number;
  limits?: Partial<RunLimits>;
  /** The folder of the snippet's document: res:// (read-only). Without it, res:// is empty. */
  documentFolder?: string;
  /** The sandbox's bounds on sockets, threads, timers, buffers and files per peer. */
  godotLimits?: Partial<GodotLimits>;
  /** Link shape applied to both directions over the snippets' own options (the CLI's --loss, --delay, --mtu). */
  shape?: LinkShape;
  /** Seed of the simulated link, over the snippets' `seed=` (default 1). */
  seed?: number;
  /** When true, `link` wins over the snippets' `link=` option (default: the snippets' option wins). */
  forceLink?: boolean;
  /** Every datagram sent on the virtual link (unix time in ms), e.g. for a pcapng capture. */
  onDatagram?: (datagram: { timestampMs: number; fromPort: number; toPort: number; data: Uint8Array; dropped?: string }) => void;
  /** SSLKEYLOGFILE lines of every DTLS session of the run. */
  onKeyLog?: (line: string) => void;
}

/** The clock and networks of one run, and how the scheduler waits on them. */
interface Link {
  network: DatagramNetwork;
  /** The network as one peer's sockets see it (its direction of the link). */
  networkFor(snippet: Snippet): DatagramNetwork;
  streams: StreamNetwork;
  now(): number;
  /** Lets time pass until `time` (virtual: jump; udp: sleep and let sockets deliver). */
  waitUntil(time: number): Promise<void>;
  close(): void;
}

function virtualLink(maxBufferedBytes: number, simulation: LinkSimulation, shapes: Map<Snippet, LinkShape>): Link {
  const clock = new VirtualClock();
  const network = new VirtualNetwork(clock, undefined, simulation);
  const streams = new VirtualStreamNetwork(clock, maxBufferedBytes);
  return {
    network,
    networkFor: (snippet) => network.forPeer({ peer: snippet.name, shape: shapes.get(snippet) ?? {} }),
    streams,
    now: () => clock.now(),
    async waitUntil(time) {
      // Node's TLS (StreamPeerTLS) works asynchronously: let the event loop turn while sessions are open.
      if (backgroundWork.sessions > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      clock.advanceTo(time);
      network.deliverUntil(clock.now());
      streams.deliverUntil(clock.now());
    },
    close: () => undefined,
  };
}

function udpLink(maxBufferedBytes: number): Link {
  const network = new UdpNetwork();
  const streams = new TcpNetwork(maxBufferedBytes);
  const start = performance.now();
  const now = () => performance.now() - start;
  return {
    network,
    networkFor: () => network,
    streams,
    now,
    async waitUntil(time) {
      await network.settle();
      await streams.settle();
      const wait = time - now();
      // Always give the event loop a turn, so datagrams that arrived are queued on their sockets.
      await new Promise<void>((resolve) => (wait > 0 ? setTimeout(resolve, Math.min(wait, 50)) : setImmediate(resolve)));
    },
    close: () => {
      network.closeAll();
      streams.closeAll();
    },
  };
}

/** A snippet's link shape with the run's overrides on top. */
function shapeOf(snippet: Snippet, overrides: LinkShape | undefined): LinkShape {
  const { loss, delayMs, jitterMs, duplicate, reorder, mtu, bandwidthBps } = snippet.settings ?? {};
  const shape: LinkShape = { loss, delayMs, jitterMs, duplicate, reorder, mtu, bandwidthBps, ...overrides };
  for (const k of Object.keys(shape) as (keyof LinkShape)[]) if (shape[k] === undefined) delete shape[k];
  return shape;
}

export async function runPair(pair: SnippetPair, options: RunOptions): Promise<RunReport> {
  const settings = [pair.server.settings ?? {}, pair.client.settings ?? {}];
  const annotatedTimeout = Math.max(0, ...settings.map((s) => s.timeoutMs ?? 0)) || undefined;
  const timeoutMs = options.timeoutMs ?? annotatedTimeout;
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits, ...(timeoutMs ? { timeoutMs } : {}) };
  const linkKind = options.forceLink ? options.link : (settings[1].link ?? settings[0].link ?? options.link);
  const seed = options.seed ?? settings[1].seed ?? settings[0].seed ?? 1;
  const timeline: TimelineEntry[] = [];
  const problems: Problem[] = [];
  const report = (durationMs: number, peers: PeerProcess[]): RunReport => ({
    version: 1,
    link: linkKind,
    server: { name: pair.server.name, annotationLine: pair.server.annotationLine },
    client: { name: pair.client.name, annotationLine: pair.client.annotationLine },
    peers: peers.map((p) => p.report),
    timeline: timeline.sort((a, b) => a.at - b.at),
    problems,
    durationMs,
    ok: !problems.some((p) => p.severity === 'error'),
  });

  // Each peer's script: its snippet with its fragments' members and its call= functions merged in.
  const parsed = [pair.server, pair.client].map((snippet) => ({ snippet, ...assembleScript(snippet) }));
  for (const { problems: found } of parsed) problems.push(...found);
  if (problems.length > 0) return report(0, []);

  const maxBuffered = options.godotLimits?.maxBufferedBytes ?? DEFAULT_GODOT_LIMITS.maxBufferedBytes;
  const clock = { now: () => 0 };
  const simulation: LinkSimulation = {
    seed,
    onDrop: (peer, connection, reason) => timeline.push({ kind: 'drop', at: clock.now(), peer, connection, reason }),
  };
  const startedAtUnixMs = Date.now();
  const onDatagram = options.onDatagram;
  if (onDatagram)
    simulation.onSend = (fromPort, toPort, data, dropped) => onDatagram({ timestampMs: startedAtUnixMs + clock.now(), fromPort, toPort, data: data.slice(), dropped });
  const shapes = new Map([pair.server, pair.client].map((s) => [s, shapeOf(s, options.shape)]));
  if (linkKind === 'udp')
    for (const [snippet, shape] of shapes)
      if (Object.keys(shape).length > 0)
        problems.push({
          severity: 'info',
          code: 'annotation',
          message: `The link options (${Object.keys(shape).join(', ')}) shape the virtual link only; this run uses real UDP, where they do nothing.`,
          range: { start: { line: snippet.annotationLine, character: 0 }, end: { line: snippet.annotationLine, character: 0 } },
          peer: snippet.name,
        });
  const link = linkKind === 'udp' ? udpLink(maxBuffered) : virtualLink(maxBuffered, simulation, shapes);
  clock.now = () => link.now();
  // user:// is one scratch folder per run, shared by its peers (a server can save a certificate the client loads).
  const files: FileRoots = { documentFolder: options.documentFolder, user: new Map() };
  const environment = { network: link.network, streams: link.streams, files, now: link.now, startedAtUnixMs, godotLimits: options.godotLimits, keyLog: options.onKeyLog };
  const peers = parsed.map(({ snippet, script }) => new PeerProcess(snippet, script, { ...environment, network: link.networkFor(snippet) }, timeline, problems, limits));
  try {
    await schedule(peers, link, limits, linkKind === 'virtual');
  } finally {
    for (const peer of peers) peer.close();
    link.close();
  }
  const result = report(link.now(), peers);
  return teach(pair, result, peers);
}

/** Adds the explainers and the expectations' results to a finished report. */
function teach(pair: SnippetPair, result: RunReport, peers: PeerProcess[]): RunReport {
  const explainers = explainRun(pair, result, peers);
  if (explainers.length > 0) {
    result.explainers = explainers;
    result.problems.push(...explainerProblems(explainers));
  }
  const expectations = checkExpectations(pair, result);
  if (expectations.length > 0) {
    result.expectations = expectations;
    for (const e of expectations)
      if (!e.passed) result.problems.push({ severity: 'error', code: 'expectation', message: `Expectation failed: ${e.text}: ${e.detail}.`, range: e.range, peer: e.peer });
  }
  result.ok = !result.problems.some((p) => p.severity === 'error');
  return result;
}

async function schedule(peers: PeerProcess[], link: Link, limits: RunLimits, virtual: boolean): Promise<void> {
  const wallStart = performance.now();
  const clients = peers.filter((p) => p.snippet.role === 'client');
  let turn = 0;
  let clientsDoneAt: number | undefined;
  for (;;) {
    const running = peers.filter((p) => !p.done);
    if (running.length === 0) return;
    if (clientsDoneAt === undefined && clients.every((c) => c.done)) clientsDoneAt = link.now();
    if (clientsDoneAt !== undefined && link.now() >= clientsDoneAt + limits.graceMs) return;
    if (link.now() >= limits.timeoutMs) return timeOut(running, limits, link.now());
    if (performance.now() - wallStart > limits.wallTimeMs) return timeOut(running, limits, link.now(), true);

    const next = running.reduce((a, b) => (b.wakeAt < a.wakeAt || (b.wakeAt === a.wakeAt && b.turn < a.turn) ? b : a));
    const due = clientsDoneAt === undefined ? next.wakeAt : Math.min(next.wakeAt, clientsDoneAt + limits.graceMs);
    await link.waitUntil(Math.min(due, limits.timeoutMs));
    if (link.now() < next.wakeAt) continue;
    next.turn = ++turn;
    const { used, outcome } = next.runSlice(SLICE_STEPS);
    if (virtual) {
      await link.waitUntil(link.now() + used * VIRTUAL_MS_PER_STEP);
      if (outcome === 'sliced' || (outcome === 'suspended' && next.wakeAt < link.now())) next.wakeAt = Math.max(next.wakeAt, link.now());
    } else if (outcome === 'sliced') {
      next.wakeAt = link.now();
    }
  }
}

function timeOut(running: PeerProcess[], limits: RunLimits, now: number, wall = false): void {
  for (const peer of running) {
    if (peer.snippet.role !== 'client') continue;
    const seconds = ((wall ? limits.wallTimeMs : limits.timeoutMs) / 1000).toString();
    peer.crash(
      'timeout',
      wall
        ? `The run took more than ${seconds} s of real time and was stopped while this peer was still running here.`
        : `The run stopped after ${seconds} s (run time ${now.toFixed(0)} ms) while this peer was still running here: it never finished.`,
      peer.currentRange,
    );
  }
}
