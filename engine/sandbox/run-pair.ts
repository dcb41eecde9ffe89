// Runs one server/client pair: both scripts as their own "processes", interleaved by a scheduler
// over a virtual link (deterministic, virtual clock) or real UDP sockets on 127.0.0.1 (wall clock).

import { performance } from 'node:perf_hooks';
import { parse } from '../gdscript';
import { backgroundWork, DEFAULT_GODOT_LIMITS, type DatagramNetwork, type FileRoots, type GodotLimits, type StreamNetwork } from '../godot/runtime';
import type { SnippetPair } from './document';
import { DEFAULT_LIMITS, SLICE_STEPS, VIRTUAL_MS_PER_STEP, type RunLimits } from './limits';
import { PeerProcess } from './peer-process';
import type { Problem, RunReport, TimelineEntry } from './report';
import { TcpNetwork } from './tcp-network';
import { UdpNetwork } from './udp-network';
import { VirtualClock } from './virtual-clock';
import { VirtualNetwork } from './virtual-network';
import { VirtualStreamNetwork } from './virtual-streams';

export interface RunOptions {
  link: 'virtual' | 'udp';
  timeoutMs?: number;
  limits?: Partial<RunLimits>;
  /** The folder of the snippet's document: res:// (read-only). Without it, res:// is empty. */
  documentFolder?: string;
  /** The sandbox's bounds on sockets, threads, timers, buffers and files per peer. */
  godotLimits?: Partial<GodotLimits>;
}

/** The clock and networks of one run, and how the scheduler waits on them. */
interface Link {
  network: DatagramNetwork;
  streams: StreamNetwork;
  now(): number;
  /** Lets time pass until `time` (virtual: jump; udp: sleep and let sockets deliver). */
  waitUntil(time: number): Promise<void>;
  close(): void;
}

function virtualLink(maxBufferedBytes: number): Link {
  const clock = new VirtualClock();
  const network = new VirtualNetwork(clock);
  const streams = new VirtualStreamNetwork(clock, maxBufferedBytes);
  return {
    network,
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

export async function runPair(pair: SnippetPair, options: RunOptions): Promise<RunReport> {
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  const timeline: TimelineEntry[] = [];
  const problems: Problem[] = [];
  const report = (durationMs: number, peers: PeerProcess[]): RunReport => ({
    version: 1,
    link: options.link,
    server: { name: pair.server.name, annotationLine: pair.server.annotationLine },
    client: { name: pair.client.name, annotationLine: pair.client.annotationLine },
    peers: peers.map((p) => p.report),
    timeline: timeline.sort((a, b) => a.at - b.at),
    problems,
    durationMs,
    ok: !problems.some((p) => p.severity === 'error'),
  });

  const parsed = [pair.server, pair.client].map((snippet) => ({ snippet, ...parse(snippet.source, { lineOffset: snippet.startLine }) }));
  for (const { snippet, errors } of parsed)
    for (const e of errors) problems.push({ severity: 'error', code: 'syntax', message: e.message, range: e.range, peer: snippet.name });
  if (problems.length > 0) return report(0, []);

  const maxBuffered = options.godotLimits?.maxBufferedBytes ?? DEFAULT_GODOT_LIMITS.maxBufferedBytes;
  const link = options.link === 'udp' ? udpLink(maxBuffered) : virtualLink(maxBuffered);
  // user:// is one scratch folder per run, shared by its peers (a server can save a certificate the client loads).
  const files: FileRoots = { documentFolder: options.documentFolder, user: new Map() };
  const environment = { network: link.network, streams: link.streams, files, now: link.now, startedAtUnixMs: Date.now(), godotLimits: options.godotLimits };
  const peers = parsed.map(({ snippet, script }) => new PeerProcess(snippet, script, environment, timeline, problems, limits));
  try {
    await schedule(peers, link, limits, options.link === 'virtual');
  } finally {
    for (const peer of peers) peer.close();
    link.close();
  }
  return report(link.now(), peers);
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
