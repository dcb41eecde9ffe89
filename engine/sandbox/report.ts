// The result of running one client/server pair: what the CLI prints, what the language server
// publishes and what the extension decorates. Plain JSON (no classes) so it crosses LSP unchanged.

import type { QuickFix, Range } from '../gdscript/range';

export type { Position, QuickFix, Range, TextEdit } from '../gdscript/range';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found before or during a run, blamed on a document range. */
export interface Problem {
  severity: Severity;
  /** Stable identifier of the kind of problem, e.g. `syntax`, `runtime`, `step-budget`, `annotation`. */
  code: string;
  message: string;
  range: Range;
  /** Name of the peer the problem belongs to, when it came from a run. */
  peer?: string;
  /** Ways to mend it, best first (see QuickFix). */
  fixes?: QuickFix[];
  /** Editor hints: `unnecessary` (unused code, shown faded) or `deprecated` (Godot 3 spelling). */
  tags?: ('unnecessary' | 'deprecated')[];
}

export type PeerRole = 'server' | 'client';

/** One entry of a peer's timeline. `at` is milliseconds since the start of the run (virtual or wall). */
export type TimelineEntry =
  | { kind: 'print'; at: number; peer: string; text: string; range?: Range }
  | { kind: 'status'; at: number; peer: string; connection: string; status: number; statusName: string; range?: Range; note?: string }
  | {
      kind: 'flight';
      at: number;
      peer: string;
      connection: string;
      direction: 'sent' | 'received';
      flight: number;
      messages: string[];
      bytes: number;
      retransmission: boolean;
    }
  | { kind: 'alert'; at: number; peer: string; connection: string; direction: 'sent' | 'received'; level: string; description: string }
  | { kind: 'drop'; at: number; peer: string; connection: string; reason: string }
  | { kind: 'data'; at: number; peer: string; connection: string; direction: 'sent' | 'received'; bytes: number }
  | { kind: 'handshake'; at: number; peer: string; connection: string; suite: string; group: string; extendedMasterSecret: boolean }
  | { kind: 'error'; at: number; peer: string; message: string; range?: Range };

export interface PeerReport {
  name: string;
  role: PeerRole;
  /** Line of the `# @dtls` annotation that starts this peer's snippet. */
  annotationLine: number;
  /** Everything the peer printed, in order. */
  prints: { at: number; text: string; range?: Range }[];
  /** Last DTLS status seen on any of this peer's connections (Godot's PacketPeerDTLS.Status), if any. */
  finalStatus?: { status: number; statusName: string };
  /** True when the peer's script stopped on an error (runtime error, budget exceeded, ...). */
  crashed: boolean;
}

export interface RunReport {
  /** Format version of this JSON. */
  version: 1;
  link: 'virtual' | 'udp';
  server: { name: string; annotationLine: number };
  client: { name: string; annotationLine: number };
  peers: PeerReport[];
  timeline: TimelineEntry[];
  problems: Problem[];
  /** Milliseconds of (virtual or wall) time the run lasted. */
  durationMs: number;
  /** True when no peer failed with an error (and every expectation passed). */
  ok: boolean;
  /** The `# @dtls expect …` checks of the pair's snippets, when there are any. */
  expectations?: ExpectationResult[];
  /** Plain-language explanations of what went wrong (or what surprised), each blaming a line. */
  explainers?: Explainer[];
}

/** One `# @dtls expect …` check after the run. */
export interface ExpectationResult {
  /** The expectation as written, e.g. `status=CONNECTED`. */
  text: string;
  /** Where it is written. */
  range: Range;
  passed: boolean;
  /** What was seen, e.g. `final status STATUS_ERROR (3)`. */
  detail: string;
  /** Name of the peer whose snippet holds it. */
  peer?: string;
}

/** Why a run went the way it did, e.g. `poll-not-called`, with the line to blame and a fix. */
export interface Explainer {
  code: string;
  message: string;
  range: Range;
  fix?: string;
  severity?: Severity;
  peer?: string;
}
