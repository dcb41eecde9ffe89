// dtls-lab: run the annotated GDScript DTLS pairs of a .gd or Markdown file from the terminal.

import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { checkDocument } from '../sandbox/check';
import { readSnippets, type DocumentLanguage } from '../sandbox/document';
import { renderReport } from '../sandbox/render-text';
import type { Problem, RunReport } from '../sandbox/report';
import { runPair } from '../sandbox/run-pair';
import { SCRIPT_USAGE, scriptCommand } from './script-command';

const USAGE = `Usage:
  dtls-lab run FILE [--link virtual|udp] [--timeout MS] [--json] [--color|--no-color]
      Runs every server/client pair of FILE (.gd or .md) and prints each peer's output and a
      timeline. Exit code 0 when every pair ran without error, 1 otherwise.
  dtls-lab check FILE
      Reports annotation and syntax problems without running anything.
${SCRIPT_USAGE}

Snippets start at a comment line "# @dtls server" or "# @dtls client"; in Markdown, a \`\`\`gdscript
fence whose first line is such a comment. Each client pairs with the nearest server before it.`;

class UsageError extends Error {}

interface Arguments {
  command: string;
  file: string;
  link: 'virtual' | 'udp';
  timeoutMs?: number;
  json: boolean;
  color: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'check') throw new UsageError(command ? `Unknown command "${command}".` : 'Missing command.');
  const args: Arguments = { command, file: '', link: 'virtual', json: false, color: process.stdout.isTTY === true };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value.`);
      return v;
    };
    if (arg === '--link') {
      const link = value();
      if (link !== 'virtual' && link !== 'udp') throw new UsageError(`--link is "virtual" or "udp", not "${link}".`);
      args.link = link;
    } else if (arg === '--timeout') {
      const ms = Number(value());
      if (!(ms > 0)) throw new UsageError('--timeout needs a positive number of milliseconds.');
      args.timeoutMs = ms;
    } else if (arg === '--json') args.json = true;
    else if (arg === '--color') args.color = true;
    else if (arg === '--no-color') args.color = false;
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option "${arg}".`);
    else if (!args.file) args.file = arg;
    else throw new UsageError(`Unexpected argument "${arg}".`);
  }
  if (!args.file) throw new UsageError('Missing FILE.');
  return args;
}

function languageOf(file: string): DocumentLanguage {
  const ext = extname(file).toLowerCase();
  if (ext === '.gd') return 'gdscript';
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  throw new UsageError(`${file}: expected a .gd or .md file.`);
}

function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'script') return scriptCommand(argv.slice(1), { out: (t) => console.log(t), err: (t) => console.error(t) });
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const args = parseArguments(argv);
  const language = languageOf(args.file);
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${args.file}: ${(error as Error).message}`);
  }
  if (args.command === 'check') {
    const problems = checkDocument(text, language);
    for (const p of problems) console.log(formatProblem(args.file, p));
    console.log(problems.length === 0 ? `${args.file}: no problems` : `${problems.length} problem(s)`);
    return problems.some((p) => p.severity === 'error') ? 1 : 0;
  }
  const document = readSnippets(text, language);
  for (const p of document.problems) console.error(formatProblem(args.file, p));
  if (document.pairs.length === 0) {
    console.error(`${args.file}: no server/client pair found (annotate snippets with "# @dtls server" and "# @dtls client").`);
    return 1;
  }
  const reports: RunReport[] = [];
  for (const pair of document.pairs) {
    const report = await runPair(pair, { link: args.link, timeoutMs: args.timeoutMs, documentFolder: dirname(resolve(args.file)) });
    reports.push(report);
    if (!args.json) console.log(renderReport(report, { color: args.color }) + '\n');
  }
  if (args.json) console.log(JSON.stringify(reports, null, 2));
  return reports.every((r) => r.ok) && !document.problems.some((p) => p.severity === 'error') ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`dtls-lab: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`dtls-lab: internal error: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 70;
    }
  },
);
