// What the extension knows about a running `dtls-lab echo --json-log`: it reads the JSON lines the
// server prints on stdout (`listening`, `session-start`, `handshake`, `session-end`, `stats`,
// `stopped`, `error`) and, from the human text on stderr, the certificate fingerprint, the Godot 4
// client snippet (between `# ---8<---` lines) and a busy port. Plain data: no `vscode`, no process.

export interface EchoSnapshot {
  host?: string;
  port?: number;
  /** Sessions started and not yet ended. */
  sessions: number;
  /** Datagrams in + out: from the last `stats` record, else the ended sessions' totals. */
  packets: number;
  echoes: number;
  handshakes: number;
  fingerprint?: string;
  certificatePath?: string;
  /** The Godot 4 client the server printed, ready to paste. */
  godotSnippet?: string;
  /** `UDP port 4242 on 127.0.0.1 is already in use`, when the start failed for that reason. */
  portInUse?: { host: string; port: number };
  /** The last error line on stderr (`dtls-lab echo: …`). */
  lastError?: string;
}

const SNIPPET_MARK = '# ---8<---';

export class EchoLog {
  private readonly state: EchoSnapshot = { sessions: 0, packets: 0, echoes: 0, handshakes: 0 };
  private endedPackets = 0;
  private liveStats = false;
  private snippetLines: string[] | undefined;

  get snapshot(): EchoSnapshot {
    return { ...this.state, ...(this.state.portInUse ? { portInUse: { ...this.state.portInUse } } : {}) };
  }

  /** One stdout line; returns the parsed record (undefined for a line that is not a JSON object). */
  stdoutLine(line: string): Record<string, unknown> | undefined {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
    const r = record as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    switch (r.event) {
      case 'listening':
        if (typeof r.host === 'string') this.state.host = r.host;
        if (typeof r.port === 'number') this.state.port = r.port;
        break;
      case 'session-start':
        this.state.sessions++;
        break;
      case 'handshake':
        this.state.handshakes++;
        break;
      case 'session-end':
        this.state.sessions = Math.max(0, this.state.sessions - 1);
        this.endedPackets += num(r.packetsIn) + num(r.packetsOut);
        if (!this.liveStats) {
          this.state.packets = this.endedPackets;
          this.state.echoes += num(r.echoes);
        }
        break;
      case 'stats':
      case 'stopped': {
        const c = (r.event === 'stopped' ? r.counters : r) as Record<string, unknown> | undefined;
        if (c && typeof c === 'object') {
          this.liveStats = true;
          this.state.packets = num(c.datagramsIn) + num(c.datagramsOut);
          this.state.echoes = num(c.echoes);
          this.state.handshakes = num(c.handshakesCompleted);
          if (typeof c.sessions === 'number') this.state.sessions = c.sessions;
        }
        break;
      }
      default:
        break;
    }
    return r;
  }

  /** One stderr line (the human text of --json-log mode). */
  stderrLine(line: string): void {
    if (this.snippetLines) {
      if (line.trim() === SNIPPET_MARK) {
        this.state.godotSnippet = `${this.snippetLines.join('\n')}\n`;
        this.snippetLines = undefined;
      } else {
        this.snippetLines.push(line);
      }
      return;
    }
    if (line.trim() === SNIPPET_MARK) {
      this.snippetLines = [];
      return;
    }
    const fingerprint = /^SHA-256 fingerprint: (\S+)/.exec(line);
    if (fingerprint) this.state.fingerprint = fingerprint[1];
    const certificate = /^certificate: (.+?) \((generated now|reused)/.exec(line);
    if (certificate) this.state.certificatePath = certificate[1];
    const busy = /UDP port (\d+) on (\S+) is already in use/.exec(line);
    if (busy) this.state.portInUse = { port: Number(busy[1]), host: busy[2] };
    if (/^dtls-lab echo: /.test(line)) this.state.lastError = line.replace(/^dtls-lab echo: /, '');
  }
}

/** `$(radio-tower) DTLS echo :4242 · 2 sessions · 37 pkts` */
export function statusBarText(s: EchoSnapshot): string {
  if (s.port === undefined) return '$(loading~spin) DTLS echo starting…';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `$(radio-tower) DTLS echo :${s.port} · ${plural(s.sessions, 'session')} · ${s.packets} pkts`;
}
