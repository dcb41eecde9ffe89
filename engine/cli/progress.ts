// Progress of `dtls-lab run` / `dtls-lab test` over many pairs, on stderr (never on stdout, so that
// --json output stays clean). On a terminal: one status line, redrawn in place while a pair runs
// ("[3/12] examples/x.md: server ⇄ client … 1.2 s") and erased when it ends, so it never mixes
// with the report. Elsewhere (CI logs, pipes) with --progress: one plain line per finished pair.

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export type ProgressMode = 'live' | 'lines' | 'off';

/** 'live' on a terminal (unless --no-progress), 'lines' with --progress elsewhere, else 'off'. */
export function progressMode(stream: ProgressStream, flag: boolean | undefined): ProgressMode {
  if (flag === false) return 'off';
  if (stream.isTTY === true) return 'live';
  return flag === true ? 'lines' : 'off';
}

/** Redraw interval of the live line (it only moves while the event loop turns). */
const REDRAW_MS = 100;

export class PairProgress {
  private index = 0;
  private label = '';
  private startedAt = 0;
  private ticker?: NodeJS.Timeout;
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly mode: ProgressMode,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A pair starts. */
  start(label: string): void {
    this.index++;
    this.label = label;
    this.startedAt = this.now();
    if (this.mode !== 'live') return;
    this.draw();
    this.ticker = setInterval(() => this.draw(), REDRAW_MS);
    this.ticker.unref();
  }

  /** The pair that started last has ended. */
  finish(passed: boolean): void {
    const seconds = formatSeconds(this.now() - this.startedAt);
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.mode === 'live') this.erase();
    else if (this.mode === 'lines') this.stream.write(`${this.prefix()} ${passed ? '✔' : '✖'} ${seconds}\n`);
  }

  private prefix(): string {
    return `[${this.index}/${this.total}] ${this.label}`;
  }

  private draw(): void {
    const width = (this.stream as { columns?: number }).columns ?? 100;
    const text = `${this.prefix()} … ${formatSeconds(this.now() - this.startedAt)}`;
    this.stream.write(`\r\x1b[K${text.length > width - 1 ? text.slice(0, width - 2) + '…' : text}`);
    this.shown = true;
  }

  private erase(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
