// dtls-lab check: annotation and syntax problems of one or more files, like a linter, without running.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { checkDocument } from '../sandbox/check';
import type { DocumentLanguage } from '../sandbox/document';
import type { Problem } from '../sandbox/report';

export const CHECK_USAGE = `  dtls-lab check FILE… [--json]
      Reports annotation and syntax problems as file:line:column: severity: message, without
      running anything. Exit code 1 when there is an error.`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

export function languageOfFile(file: string): DocumentLanguage | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.gd') return 'gdscript';
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  return undefined;
}

function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}

export function checkCommand(argv: string[], io: Io): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`Usage:\n${CHECK_USAGE}`);
    return 0;
  }
  const json = argv.includes('--json');
  const files = argv.filter((a) => a !== '--json');
  const unknown = files.find((f) => f.startsWith('-'));
  if (unknown || files.length === 0) {
    io.err(`dtls-lab check: ${unknown ? `unknown option "${unknown}"` : 'missing FILE'}.\n\nUsage:\n${CHECK_USAGE}`);
    return 2;
  }
  const results: { file: string; problems: Problem[] }[] = [];
  for (const file of files) {
    const language = languageOfFile(file);
    if (!language) {
      io.err(`dtls-lab check: ${file}: expected a .gd or .md file.`);
      return 2;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`dtls-lab check: cannot read ${file}: ${(error as Error).message}`);
      return 2;
    }
    results.push({ file, problems: checkDocument(text, language) });
  }
  if (json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const { file, problems } of results) for (const p of problems) io.out(formatProblem(file, p));
    const count = results.reduce((n, r) => n + r.problems.length, 0);
    io.out(count === 0 ? 'no problems' : `${count} problem(s)`);
  }
  return results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}
