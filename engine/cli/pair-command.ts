// dtls-lab run / dtls-lab test: run the annotated pairs of one or more files. `run` shows each pair's
// timeline; `test` checks each pair (no runtime error, every `# @dtls expect` holds), prints
// "N passed, N failed" and can write JUnit XML for CI.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { PcapngWriter } from '../dtls/pcap-writer';
import { rsaKeyPool } from '../godot/rsa-key-pool';
import { readSnippets, type DocumentLanguage } from '../sandbox/document';
import { parseOption, type LinkShape, type SnippetSettings } from '../sandbox/options';
import { renderReport } from '../sandbox/render-text';
import type { Problem, RunReport } from '../sandbox/report';
import { runPair, type RunOptions } from '../sandbox/run-pair';
import { PairProgress, progressMode, type ProgressStream } from './progress';

const COMMON = `[--link virtual|udp] [--timeout MS] [--loss P%] [--delay MS] [--seed N] [--mtu BYTES]
      [--pcap FILE] [--keylog FILE] [--progress|--no-progress]`;

export const RUN_USAGE = `  dtls-lab run FILE… ${COMMON} [--json] [--color|--no-color]
      Runs every server/client pair of each FILE (.gd or .md) and prints each peer's output and a
      timeline. Exit code 0 when every pair ran without error, 1 otherwise.`;

export const TEST_USAGE = `  dtls-lab test FILE… ${COMMON} [--junit FILE]
      Runs every pair and checks its "# @dtls expect" lines; prints one line per pair and
      "N passed, N failed". --junit writes JUnit XML. Exit code 1 when any pair failed.`;

const OVERRIDES = `
  --link virtual|udp   the link for every pair (over the snippets' link= options)
  --timeout MS         run time limit per pair (over timeout=)
  --loss P%            datagram loss both ways on the virtual link (over loss=), e.g. --loss 30%
  --delay MS           one-way delay both ways (over delay=)
  --seed N             seed of the simulated link (over seed=)
  --mtu BYTES          datagrams above this size are dropped both ways (over mtu=)
  --pcap FILE          write every datagram of the virtual link as pcapng (Wireshark, tshark)
  --keylog FILE        write the DTLS sessions' keys (SSLKEYLOGFILE format) to decrypt the capture
  --progress           a line per finished pair on stderr also when stderr is not a terminal
                       ("[3/12] FILE: server ⇄ client ✔ 1.2 s"); on a terminal a status line
                       shows the running pair anyway (--no-progress hides it)`;

export const RUN_HELP = `Usage:\n${RUN_USAGE}\n\nOptions:${OVERRIDES}
  --json               print the RunReport JSON of every pair (an array)
  --color, --no-color  colors in the timeline (default: when stdout is a terminal)`;

export const TEST_HELP = `Usage:\n${TEST_USAGE}\n\nOptions:${OVERRIDES}
  --junit FILE         write the results as JUnit XML to FILE

A pair passes when both peers ran without error and every "# @dtls expect" line of its snippets
held (status=NAME, print="TEXT", error="TEXT", handshake<MSms).`;

interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Where progress goes (default process.stderr). */
  progress?: ProgressStream;
}

interface PairArguments {
  files: string[];
  run: Omit<RunOptions, 'documentFolder'>;
  json: boolean;
  color: boolean;
  junit?: string;
  pcap?: string;
  keylog?: string;
  /** --progress / --no-progress; undefined: only on a terminal. */
  progress?: boolean;
}

class PairUsageError extends Error {}

function parse(command: 'run' | 'test', argv: string[]): PairArguments | 'help' {
  const args: PairArguments = { files: [], run: { link: 'virtual' }, json: false, color: process.stdout.isTTY === true };
  const shape: SnippetSettings = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new PairUsageError(`${arg} needs a value.`);
      return v;
    };
    const option = (key: string) => {
      const problem = parseOption('client', key, value(), shape);
      if (problem) throw new PairUsageError(`--${problem}`);
    };
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--link') {
      const link = value();
      if (link !== 'virtual' && link !== 'udp') throw new PairUsageError(`--link is "virtual" or "udp", not "${link}".`);
      args.run.link = link;
      args.run.forceLink = true;
    } else if (arg === '--timeout') {
      const ms = Number(value());
      if (!(ms > 0)) throw new PairUsageError('--timeout needs a positive number of milliseconds.');
      args.run.timeoutMs = ms;
    } else if (arg === '--loss') option('loss');
    else if (arg === '--delay') option('delay');
    else if (arg === '--mtu') option('mtu');
    else if (arg === '--seed') option('seed');
    else if (arg === '--json' && command === 'run') args.json = true;
    else if (arg === '--color') args.color = true;
    else if (arg === '--no-color') args.color = false;
    else if (arg === '--junit' && command === 'test') args.junit = value();
    else if (arg === '--pcap') args.pcap = value();
    else if (arg === '--keylog') args.keylog = value();
    else if (arg === '--progress') args.progress = true;
    else if (arg === '--no-progress') args.progress = false;
    else if (arg.startsWith('-')) throw new PairUsageError(`Unknown option "${arg}".`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) throw new PairUsageError('Missing FILE.');
  const { seed, loss, delayMs, mtu } = shape;
  const linkShape: LinkShape = {};
  if (loss !== undefined) linkShape.loss = loss;
  if (delayMs !== undefined) linkShape.delayMs = delayMs;
  if (mtu !== undefined) linkShape.mtu = mtu;
  if (Object.keys(linkShape).length > 0) args.run.shape = linkShape;
  if (seed !== undefined) args.run.seed = seed;
  for (const file of args.files) languageOf(file);
  return args;
}

function languageOf(file: string): DocumentLanguage {
  const ext = extname(file).toLowerCase();
  if (ext === '.gd') return 'gdscript';
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  throw new PairUsageError(`${file}: expected a .gd or .md file.`);
}

function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}

interface Case {
  file: string;
  name: string;
  passed: boolean;
  failures: string[];
  timeMs: number;
}

/** `dtls-lab run …` and `dtls-lab test …`; returns the exit code. */
export async function pairCommand(command: 'run' | 'test', argv: string[], io: Io): Promise<number> {
  let args: PairArguments | 'help';
  try {
    args = parse(command, argv);
  } catch (error) {
    if (!(error instanceof PairUsageError)) throw error;
    io.err(`dtls-lab ${command}: ${error.message}\n\n${command === 'run' ? RUN_HELP : TEST_HELP}`);
    return 2;
  }
  if (args === 'help') {
    io.out(command === 'run' ? RUN_HELP : TEST_HELP);
    return 0;
  }
  const cases: Case[] = [];
  const reports: RunReport[] = [];
  const pcap = args.pcap ? new PcapngWriter() : undefined;
  const keyLines = new Set<string>();
  if (pcap)
    args.run.onDatagram = (d) =>
      pcap.record({
        timestampMs: d.timestampMs,
        source: `127.0.0.1:${d.fromPort}`,
        destination: `127.0.0.1:${d.toPort}`,
        data: d.data,
        comment: d.dropped ? `dropped by the link: ${d.dropped}` : undefined,
      });
  if (args.keylog) args.run.onKeyLog = (line) => keyLines.add(line);
  // Read every file first: the progress counts the pairs of all of them.
  const documents: { file: string; document: ReturnType<typeof readSnippets> }[] = [];
  for (const file of args.files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`dtls-lab ${command}: cannot read ${file}: ${(error as Error).message}`);
      return 2;
    }
    documents.push({ file, document: readSnippets(text, languageOf(file)) });
  }
  const total = documents.reduce((n, d) => n + d.document.pairs.length, 0);
  // Keys made ahead for Crypto.generate_rsa() only pay off from the second pair on.
  if (total < 2) rsaKeyPool.configure({ size: 0 });
  const stream = io.progress ?? process.stderr;
  const progress = new PairProgress(total, stream, progressMode(stream, args.progress));
  for (const { file, document } of documents) {
    const annotationErrors = document.problems.filter((p) => p.severity === 'error');
    for (const p of document.problems) io.err(formatProblem(file, p));
    if (annotationErrors.length > 0)
      cases.push({ file, name: 'annotations', passed: false, failures: annotationErrors.map((p) => formatProblem(file, p)), timeMs: 0 });
    if (document.pairs.length === 0) {
      io.err(`${file}: no server/client pair found (annotate snippets with "# @dtls server" and "# @dtls client").`);
      cases.push({ file, name: 'pairs', passed: false, failures: [`${file}: no server/client pair found`], timeMs: 0 });
      continue;
    }
    for (const pair of document.pairs) {
      const started = Date.now();
      const name = `${pair.server.name} ⇄ ${pair.client.name} (line ${pair.client.annotationLine + 1})`;
      progress.start(`${file}: ${name}`);
      let report: RunReport | undefined;
      try {
        report = await runPair(pair, { ...args.run, documentFolder: dirname(resolve(file)) });
      } finally {
        progress.finish(report?.ok === true);
      }
      const failures = report.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(file, p));
      cases.push({ file, name, passed: report.ok, failures, timeMs: Date.now() - started });
      reports.push(report);
      if (command === 'run' && !args.json) io.out(renderReport(report, { color: args.color }) + '\n');
      if (command === 'test') {
        const checks = report.expectations?.length ?? 0;
        const passedChecks = report.expectations?.filter((e) => e.passed).length ?? 0;
        const held = checks === 0 ? 'no expectations' : `${passedChecks}/${checks} expectation(s) held`;
        io.out(`${report.ok ? '✔' : '✖'} ${file}: ${name} — ${held}`);
        for (const f of failures) io.out(`    ${f}`);
      }
    }
  }
  if (pcap && args.pcap) {
    pcap.writeFile(args.pcap);
    if (reports.some((r) => r.link === 'udp')) io.err(`dtls-lab ${command}: --pcap records the virtual link only; pairs on the UDP link are not in ${args.pcap}.`);
  }
  if (args.keylog) writeFileSync(args.keylog, [...keyLines].map((l) => `${l}\n`).join(''));
  if (command === 'run') {
    if (args.json) io.out(JSON.stringify(reports, null, 2));
    return cases.every((c) => c.passed) ? 0 : 1;
  }
  const failed = cases.filter((c) => !c.passed).length;
  io.out(`${cases.length - failed} passed, ${failed} failed`);
  if (args.junit) writeFileSync(args.junit, junit(cases));
  return failed > 0 ? 1 : 0;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/\x1b\[[0-9;]*m/g, '');
}

/** JUnit XML: one <testsuite> per file, one <testcase> per pair. */
export function junit(cases: Case[]): string {
  const files = [...new Set(cases.map((c) => c.file))];
  const total = cases.length;
  const failures = cases.filter((c) => !c.passed).length;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="dtls-lab" tests="${total}" failures="${failures}">`];
  for (const file of files) {
    const own = cases.filter((c) => c.file === file);
    const time = own.reduce((t, c) => t + c.timeMs, 0) / 1000;
    out.push(`  <testsuite name="${xml(file)}" tests="${own.length}" failures="${own.filter((c) => !c.passed).length}" errors="0" time="${time.toFixed(3)}">`);
    for (const c of own) {
      const head = `    <testcase classname="${xml(file)}" name="${xml(c.name)}" time="${(c.timeMs / 1000).toFixed(3)}"`;
      if (c.passed) out.push(`${head}/>`);
      else {
        out.push(`${head}>`);
        out.push(`      <failure message="${xml(c.failures[0] ?? 'failed')}">${xml(c.failures.join('\n'))}</failure>`);
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
