// What the timeline view draws, computed from a RunReport (docs/timeline.md): one lane per peer with
// its status segments, the messages between the peers (handshake flights, application data, alerts)
// as sequence-diagram arrows with retransmissions and drops marked, and the prints and errors.
// Plain data without `vscode` so that it can be tested with node --test and posted to the webview.
import type { Range, RunReport, TimelineEntry } from '../engine/sandbox/report';

/** Godot's PacketPeerDTLS.Status names without the `STATUS_` prefix, by number (for labels). */
export const STATUS_LABELS: Record<number, string> = {
  0: 'DISCONNECTED',
  1: 'HANDSHAKING',
  2: 'CONNECTED',
  3: 'ERROR',
  4: 'ERROR_HOSTNAME_MISMATCH',
};

/** A stretch of time during which a peer's last seen status did not change. */
export interface StatusSegment {
  status: number;
  statusName: string;
  from: number;
  to: number;
  connection: string;
  /** Line of the call that saw the status (zero-based), when known. */
  line?: number;
  note?: string;
}

export interface Lane {
  peer: string;
  role: 'server' | 'client';
  segments: StatusSegment[];
  crashed: boolean;
  finalStatus?: string;
}

export type MessageKind = 'flight' | 'data' | 'alert';

/** One message from one peer to the other: sent at `sentAt`, received at `receivedAt` (never, when lost). */
export interface MessageArrow {
  kind: MessageKind;
  from: string;
  to: string;
  sentAt: number;
  receivedAt?: number;
  /** e.g. `1 ClientHello`, `data 5 B`, `alert fatal bad_certificate`. */
  label: string;
  bytes?: number;
  retransmission: boolean;
  /** The link or the engine dropped (part of) it: a drop entry of the sender at the same time. */
  dropped?: string;
  /** Flights 2 and 3 (RFC 6347 numbering): the HelloVerifyRequest and the ClientHello with its cookie. */
  cookie: boolean;
}

export type EventKind = 'print' | 'error' | 'status' | 'drop' | 'alert' | 'handshake';

/** Something to list under the drawing; `line` makes it clickable (reveals the source line). */
export interface TimelineEvent {
  kind: EventKind;
  at: number;
  peer: string;
  text: string;
  line?: number;
  character?: number;
}

export interface TimelineModel {
  /** `server ⇄ client` */
  title: string;
  link: 'virtual' | 'udp';
  durationMs: number;
  ok: boolean;
  lanes: Lane[];
  messages: MessageArrow[];
  events: TimelineEvent[];
  problems: { severity: string; message: string; line: number; character: number; peer?: string }[];
}

type Entry<K extends TimelineEntry['kind']> = Extract<TimelineEntry, { kind: K }>;
type MessageEntry = Entry<'flight'> | Entry<'data'> | Entry<'alert'>;

const SAME_TIME_MS = 1e-6;

/** `1.23 ms`, `412 ms`, `4.05 s`: short and precise enough for a label. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function lineOf(range: Range | undefined): { line?: number; character?: number } {
  return range ? { line: range.start.line, character: range.start.character } : {};
}

function lanesOf(report: RunReport): Lane[] {
  return report.peers.map((peer) => {
    const changes = report.timeline.filter((e): e is Entry<'status'> => e.kind === 'status' && e.peer === peer.name);
    const segments: StatusSegment[] = changes.map((e, i) => ({
      status: e.status,
      statusName: e.statusName,
      from: e.at,
      to: i + 1 < changes.length ? changes[i + 1].at : Math.max(report.durationMs, e.at),
      connection: e.connection,
      ...(e.range ? { line: e.range.start.line } : {}),
      ...(e.note ? { note: e.note } : {}),
    }));
    return {
      peer: peer.name,
      role: peer.role,
      segments,
      crashed: peer.crashed,
      ...(peer.finalStatus ? { finalStatus: peer.finalStatus.statusName } : {}),
    };
  });
}

function messageKey(e: MessageEntry): string {
  if (e.kind === 'flight') return `flight ${e.flight}`;
  if (e.kind === 'alert') return `alert ${e.level} ${e.description}`;
  return 'data';
}

function messageLabel(e: MessageEntry): string {
  if (e.kind === 'flight') return `${e.flight} ${e.messages.join(', ')}`;
  if (e.kind === 'alert') return `alert ${e.level} ${e.description}`;
  return `data ${e.bytes} B`;
}

/**
 * Pairs every `sent` message of one peer with the `received` entry of the other peer. A received
 * entry takes the earliest still unmatched sent message of the same kind (same flight number) sent
 * no later than it, preferring one that was not dropped; a sent message without a receiver is lost.
 */
function messagesOf(report: RunReport, lanes: Lane[]): MessageArrow[] {
  const names = lanes.map((l) => l.peer);
  const other = (peer: string) => names.find((n) => n !== peer) ?? peer;
  const drops = report.timeline.filter((e): e is Entry<'drop'> => e.kind === 'drop');
  const isMessage = (e: TimelineEntry): e is MessageEntry => e.kind === 'flight' || e.kind === 'data' || e.kind === 'alert';
  const arrows: (MessageArrow & { key: string })[] = [];
  const usedDrops = new Set<Entry<'drop'>>();
  for (const e of report.timeline) {
    if (!isMessage(e) || e.direction !== 'sent') continue;
    const drop = drops.find((d) => !usedDrops.has(d) && d.peer === e.peer && Math.abs(d.at - e.at) < SAME_TIME_MS);
    if (drop) usedDrops.add(drop);
    arrows.push({
      key: messageKey(e),
      kind: e.kind,
      from: e.peer,
      to: other(e.peer),
      sentAt: e.at,
      label: messageLabel(e),
      ...(e.kind === 'alert' ? {} : { bytes: e.bytes }),
      retransmission: e.kind === 'flight' && e.retransmission,
      ...(drop ? { dropped: drop.reason } : {}),
      cookie: e.kind === 'flight' && (e.flight === 2 || e.flight === 3),
    });
  }
  for (const e of report.timeline) {
    if (!isMessage(e) || e.direction !== 'received') continue;
    const key = messageKey(e);
    const candidates = arrows.filter((a) => a.receivedAt === undefined && a.key === key && a.to === e.peer && a.sentAt <= e.at + SAME_TIME_MS);
    const match = candidates.find((a) => a.dropped === undefined) ?? candidates[0];
    if (match) match.receivedAt = e.at;
  }
  return arrows.map(({ key: _key, ...arrow }) => arrow);
}

function eventsOf(report: RunReport): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const e of report.timeline) {
    switch (e.kind) {
      case 'print':
        events.push({ kind: 'print', at: e.at, peer: e.peer, text: e.text, ...lineOf(e.range) });
        break;
      case 'error':
        events.push({ kind: 'error', at: e.at, peer: e.peer, text: e.message, ...lineOf(e.range) });
        break;
      case 'status':
        events.push({ kind: 'status', at: e.at, peer: e.peer, text: `${e.statusName} (${e.connection})${e.note ? ` — ${e.note}` : ''}`, ...lineOf(e.range) });
        break;
      case 'drop':
        events.push({ kind: 'drop', at: e.at, peer: e.peer, text: `dropped ${e.connection}: ${e.reason}` });
        break;
      case 'alert':
        events.push({ kind: 'alert', at: e.at, peer: e.peer, text: `alert ${e.direction} ${e.level} ${e.description} (${e.connection})` });
        break;
      case 'handshake':
        events.push({ kind: 'handshake', at: e.at, peer: e.peer, text: `handshake done: ${e.suite}, ${e.group}${e.extendedMasterSecret ? ', EMS' : ''}` });
        break;
      default:
        break; // flights and data are drawn as arrows; kinds added later are skipped (docs/timeline.md)
    }
  }
  return events;
}

export function timelineModel(report: RunReport): TimelineModel {
  const lanes = lanesOf(report);
  return {
    title: `${report.server.name} ⇄ ${report.client.name}`,
    link: report.link,
    durationMs: report.durationMs,
    ok: report.ok,
    lanes,
    messages: messagesOf(report, lanes),
    events: eventsOf(report),
    problems: report.problems
      .filter((p) => p.severity !== 'info')
      .map((p) => ({
        severity: p.severity,
        message: p.message,
        line: p.range.start.line,
        character: p.range.start.character,
        ...(p.peer ? { peer: p.peer } : {}),
      })),
  };
}
