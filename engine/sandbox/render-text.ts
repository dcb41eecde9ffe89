// The terminal's view of a run: a sequence diagram (server on the left, client on the right) of
// status changes, handshake flights, alerts and prints, then each peer's summary and the problems.

import type { Problem, RunReport, TimelineEntry } from './report';

const ARROW_WIDTH = 46;

interface Style {
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
}

const plain: Style = { dim: (s) => s, red: (s) => s, green: (s) => s, cyan: (s) => s, yellow: (s) => s, bold: (s) => s };
const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const colored: Style = { dim: ansi(2), red: ansi(31), green: ansi(32), cyan: ansi(36), yellow: ansi(33), bold: ansi(1) };

export function renderReport(report: RunReport, options: { color?: boolean } = {}): string {
  const style = options.color ? colored : plain;
  const out: string[] = [];
  const server = report.server.name;
  out.push(
    style.bold(`DTLS pair: ${server} (line ${report.server.annotationLine + 1}) ⇄ ${report.client.name} (line ${report.client.annotationLine + 1}) — ${report.link} link`),
  );
  if (report.peers.length > 0) {
    out.push(style.dim(`${'time ms'.padStart(10)}  ${server.padEnd(ARROW_WIDTH / 2)}${report.client.name.padStart(ARROW_WIDTH / 2)}`));
    for (const entry of report.timeline) {
      const line = renderEntry(entry, server, style);
      if (line) out.push(`${style.dim(entry.at.toFixed(3).padStart(10))}  ${line}`);
    }
    out.push('');
    for (const peer of report.peers) {
      const status = peer.finalStatus ? `${peer.finalStatus.statusName} (${peer.finalStatus.status})` : 'no DTLS status';
      const prints = peer.prints.length ? peer.prints.map((p) => JSON.stringify(p.text)).join(', ') : 'nothing printed';
      out.push(`${style.bold(peer.name.padEnd(8))} ${peer.crashed ? style.red('stopped on an error') : status} · ${prints}`);
    }
  }
  if (report.expectations?.length) {
    out.push('');
    for (const e of report.expectations)
      out.push(`${e.passed ? style.green('✔ expect') : style.red('✖ expect')} ${e.text} (${e.peer ? `${e.peer}, ` : ''}line ${e.range.start.line + 1}) — ${e.detail}`);
  }
  const problems = report.problems.filter((p) => p.code !== 'expectation');
  if (problems.length > 0) {
    out.push('');
    for (const problem of problems) out.push(renderProblem(problem, style));
  }
  out.push(
    report.ok
      ? style.green(`✔ ran without errors in ${report.durationMs.toFixed(1)} ms (${report.link === 'virtual' ? 'virtual time' : 'wall time'})`)
      : style.red(`✖ ${report.problems.filter((p) => p.severity === 'error').length} error(s)`),
  );
  return out.join('\n');
}

function renderProblem(problem: Problem, style: Style): string {
  const where = `line ${problem.range.start.line + 1}:${problem.range.start.character + 1}`;
  const who = problem.peer ? `${problem.peer}, ` : '';
  const mark = problem.severity === 'error' ? style.red('error') : style.yellow(problem.severity);
  return `${mark} (${who}${where}) ${problem.message}`;
}

function lineOf(range: { start: { line: number } } | undefined): string {
  return range ? ` · line ${range.start.line + 1}` : '';
}

function renderEntry(entry: TimelineEntry, server: string, style: Style): string | undefined {
  const onServer = entry.peer === server;
  const lane = (text: string) => (onServer ? `${text}` : `${' '.repeat(ARROW_WIDTH + 2)}${text}`);
  switch (entry.kind) {
    case 'flight': {
      if (entry.direction !== 'sent') return undefined;
      const label = ` ${entry.flight} ${entry.messages.join(', ')} · ${entry.bytes} B${entry.retransmission ? ' · RETRANSMIT' : ''} `;
      const body = label.length + 4 > ARROW_WIDTH ? label : label.padEnd(ARROW_WIDTH - 4, '─');
      const arrow = onServer ? `──${body}─▶` : `◀─${body}──`;
      return entry.retransmission ? style.yellow(arrow) : style.cyan(arrow);
    }
    case 'status': {
      const note = entry.note ? ` — ${entry.note}` : '';
      const text = `● ${entry.statusName} (${entry.status}) ${entry.connection}${note}${lineOf(entry.range)}`;
      return lane(entry.status >= 3 ? style.red(text) : entry.status === 2 ? style.green(text) : text);
    }
    case 'print':
      return lane(`print ${JSON.stringify(entry.text)}${lineOf(entry.range)}`);
    case 'alert':
      return entry.direction === 'sent' ? lane(style.yellow(`alert ${entry.level} ${entry.description} sent ${entry.connection}`)) : undefined;
    case 'drop':
      return lane(style.yellow(`dropped: ${entry.reason} (${entry.connection})`));
    case 'handshake':
      return lane(style.green(`handshake done: ${entry.suite}, ${entry.group}${entry.extendedMasterSecret ? ', extended master secret' : ''}`));
    case 'error':
      return lane(style.red(`✖ ${entry.message}${lineOf(entry.range)}`));
    case 'data':
      return undefined;
  }
}
