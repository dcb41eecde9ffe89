// The `key=value` options of a `# @dtls server|client` annotation and the `# @dtls expect …` lines:
// parsing and validation. Each bad option is an annotation problem saying what is allowed.

import type { Problem, Range } from './report';

/** How one direction of the simulated (virtual) link treats datagrams. */
export interface LinkShape {
  /** Probability (0..1) that a datagram is lost. */
  loss?: number;
  /** One-way delay in ms. */
  delayMs?: number;
  /** Extra random delay, uniform in [0, jitter) ms. */
  jitterMs?: number;
  /** Probability (0..1) that a datagram is delivered twice. */
  duplicate?: number;
  /** Probability (0..1) that a datagram is held back so later ones overtake it. */
  reorder?: number;
  /** Largest datagram (bytes) the link carries; larger ones are dropped. */
  mtu?: number;
  /** Bits per second; each datagram takes size*8/bandwidth to serialize, one after the other. */
  bandwidthBps?: number;
}

export interface SnippetSettings extends LinkShape {
  name?: string;
  /** Client only: the name of the server snippet to pair with. */
  pair?: string;
  link?: 'virtual' | 'udp';
  seed?: number;
  timeoutMs?: number;
  /** The port this snippet's server listens on / client sends to (informational, used by explainers). */
  port?: number;
}

export type Expectation =
  | { kind: 'status'; text: string; range: Range; status: number }
  | { kind: 'print'; text: string; range: Range; value: string }
  | { kind: 'error'; text: string; range: Range; value: string }
  | { kind: 'handshake'; text: string; range: Range; maxMs: number };

export const STATUS_NAMES = ['STATUS_DISCONNECTED', 'STATUS_HANDSHAKING', 'STATUS_CONNECTED', 'STATUS_ERROR', 'STATUS_ERROR_HOSTNAME_MISMATCH'];

export const OPTION_KEYS = ['name', 'pair', 'link', 'loss', 'delay', 'jitter', 'duplicate', 'reorder', 'mtu', 'bandwidth', 'seed', 'timeout', 'port', 'call'];

function percent(key: string, value: string): number | string {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 0 && n <= 100)) return `${key}=${value}: expected a percentage from 0% to 100% (e.g. ${key}=30%).`;
  return n / 100;
}

function milliseconds(key: string, value: string, positive = false): number | string {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
  const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!(n >= 0) || (positive && n === 0)) return `${key}=${value}: expected a ${positive ? 'positive' : 'non-negative'} time in milliseconds (e.g. ${key}=${positive ? '5000' : '20'}, ${key}=${positive ? '5s' : '20ms'}).`;
  return n;
}

function integer(key: string, value: string, min: number, max: number, example: string): number | string {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) return `${key}=${value}: expected a whole number from ${min} to ${max} (e.g. ${key}=${example}).`;
  return n;
}

const BANDWIDTH_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9 };

function bandwidth(value: string): number | string {
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(value);
  const unit = m ? BANDWIDTH_UNITS[m[2].toLowerCase()] : undefined;
  const n = m && unit ? Number(m[1]) * unit : NaN;
  if (!(n > 0)) return `bandwidth=${value}: expected a rate with a unit: bit, kbit, mbit or gbit per second (e.g. bandwidth=1mbit).`;
  return n;
}

/** Validates one option into `settings`; returns the problem message when the option is bad. */
export function parseOption(role: 'server' | 'client', key: string, value: string, settings: SnippetSettings): string | undefined {
  const set = <K extends keyof SnippetSettings>(k: K, v: number | string): string | undefined => {
    if (typeof v === 'string') return v;
    (settings as Record<string, unknown>)[k] = v;
    return undefined;
  };
  switch (key) {
    case 'name':
      if (!value) return 'name= needs a value (e.g. name=echo).';
      settings.name = value;
      return undefined;
    case 'pair':
      if (role !== 'client') return `pair=${value}: only a client pairs with a server (pair=SERVER_NAME on "# @dtls client").`;
      if (!value) return 'pair= needs the name of a server snippet (e.g. pair=echo).';
      settings.pair = value;
      return undefined;
    case 'link':
      if (value !== 'virtual' && value !== 'udp') return `link=${value}: expected link=virtual or link=udp.`;
      settings.link = value;
      return undefined;
    case 'loss':
      return set('loss', percent(key, value));
    case 'duplicate':
      return set('duplicate', percent(key, value));
    case 'reorder':
      return set('reorder', percent(key, value));
    case 'delay':
      return set('delayMs', milliseconds(key, value));
    case 'jitter':
      return set('jitterMs', milliseconds(key, value));
    case 'timeout':
      return set('timeoutMs', milliseconds(key, value, true));
    case 'mtu':
      return set('mtu', integer(key, value, 64, 65535, '1200'));
    case 'seed':
      return set('seed', integer(key, value, 0, 2 ** 32 - 1, '7'));
    case 'port':
      return set('port', integer(key, value, 1, 65535, '4242'));
    case 'bandwidth':
      return set('bandwidthBps', bandwidth(value));
    default:
      return `Unknown option "${key}": the options are ${OPTION_KEYS.map((k) => `${k}=`).join(', ')}.`;
  }
}

const EXPECT_HELP = 'expected status=NAME_OR_NUMBER, print="TEXT", error="TEXT" or handshake<MSms';

/** The expectations of a `# @dtls expect …` line (`rest` is the text after "@dtls"). */
export function parseExpectations(rest: string, line: number, lineText: string, problems: Problem[]): Expectation[] {
  const base = lineText.indexOf('@dtls') + '@dtls'.length;
  const body = rest.replace(/^\s+expect\b/, '');
  const bodyAt = base + rest.length - body.length;
  const out: Expectation[] = [];
  const pattern = /handshake\s*<=?\s*\d+(?:\.\d+)?\s*ms|(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g;
  let any = false;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    any = true;
    const text = m[0];
    const start = bodyAt + m.index;
    const range: Range = { start: { line, character: start }, end: { line, character: start + text.length } };
    const bad = (message: string) => problems.push({ severity: 'error', code: 'annotation', message, range });
    const hs = /^handshake\s*<=?\s*(\d+(?:\.\d+)?)\s*ms$/.exec(text);
    if (hs) {
      out.push({ kind: 'handshake', text, range, maxMs: Number(hs[1]) });
      continue;
    }
    const eq = text.indexOf('=');
    const key = eq > 0 ? text.slice(0, eq) : text;
    const raw = eq > 0 ? text.slice(eq + 1) : '';
    const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (key === 'status' && eq > 0) {
      const upper = value.toUpperCase();
      let status = /^\d+$/.test(value) ? Number(value) : STATUS_NAMES.indexOf(upper.startsWith('STATUS_') ? upper : `STATUS_${upper}`);
      if (!(status >= 0 && status < STATUS_NAMES.length)) {
        bad(`status=${value}: expected a PacketPeerDTLS status: ${STATUS_NAMES.map((n) => n.slice(7)).join(', ')} (or 0-4).`);
        status = -1;
      } else out.push({ kind: 'status', text, range, status });
    } else if ((key === 'print' || key === 'error') && eq > 0) {
      out.push({ kind: key, text, range, value });
    } else bad(`Unknown expectation "${text}": ${EXPECT_HELP}.`);
  }
  if (!any) problems.push({ severity: 'error', code: 'annotation', message: `Empty expectation: ${EXPECT_HELP}.`, range: { start: { line, character: 0 }, end: { line, character: lineText.length } } });
  return out;
}
