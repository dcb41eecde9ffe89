// dtls-lab check: annotation, syntax, Godot 3 and analyzer problems of one or more files, like a linter,
// without running; --fix applies the safe fixes (Godot 3 → 4 migrations, …) and writes the files back.

import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fixDocument } from '../analysis/fix-document';
import { checkDocument } from '../sandbox/check';
import type { DocumentLanguage } from '../sandbox/document';
import type { Problem } from '../sandbox/report';
import { unifiedDiff } from './unified-diff';

export const CHECK_USAGE = `  dtls-lab check FILE… [--json] [--fix [--dry-run]]
      Reports annotation, syntax, Godot 3 and analyzer problems as file:line:column: severity: message,
      without running anything. Exit code 1 when there is an error.
      --fix        apply every safe fix (Godot 3 → 4 migrations: export/onready/setget/yield, TLSOptions,
                   Time, Callables, renames; in Markdown inside the gdscript fences), check again and
                   repeat (at most 10 rounds); write each file back, print "file:line: fixed: …" for each
                   fix, then the problems that remain (exit code 1 if errors remain)
      --dry-run    with --fix: print a unified diff of the fixes instead of writing the files`;

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

const FLAGS = ['--json', '--fix', '--dry-run'];

export function checkCommand(argv: string[], io: Io): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`Usage:\n${CHECK_USAGE}`);
    return 0;
  }
  const json = argv.includes('--json');
  const fix = argv.includes('--fix');
  const dryRun = argv.includes('--dry-run');
  const files = argv.filter((a) => !FLAGS.includes(a));
  const unknown = files.find((f) => f.startsWith('-'));
  const usageError = unknown ? `unknown option "${unknown}"` : files.length === 0 ? 'missing FILE' : dryRun && !fix ? '--dry-run goes with --fix' : undefined;
  if (usageError) {
    io.err(`dtls-lab check: ${usageError}.\n\nUsage:\n${CHECK_USAGE}`);
    return 2;
  }
  const inputs: { file: string; language: DocumentLanguage; text: string }[] = [];
  for (const file of files) {
    const language = languageOfFile(file);
    if (!language) {
      io.err(`dtls-lab check: ${file}: expected a .gd or .md file.`);
      return 2;
    }
    try {
      inputs.push({ file, language, text: readFileSync(file, 'utf8') });
    } catch (error) {
      io.err(`dtls-lab check: cannot read ${file}: ${(error as Error).message}`);
      return 2;
    }
  }
  const results: { file: string; problems: Problem[]; fixed?: { line: number; title: string }[] }[] = [];
  for (const { file, language, text } of inputs) {
    if (!fix) {
      results.push({ file, problems: checkDocument(text, language) });
      continue;
    }
    const fixed = fixDocument(text, language);
    if (fixed.text !== text) {
      if (dryRun) {
        const name = file.replace(/^\/+/, '');
        if (!json) io.out(unifiedDiff(text, fixed.text, `a/${name}`, `b/${name}`));
      } else {
        try {
          writeFileSync(file, fixed.text);
        } catch (error) {
          io.err(`dtls-lab check: cannot write ${file}: ${(error as Error).message}`);
          return 2;
        }
      }
    }
    if (!json && !dryRun) for (const a of fixed.applied) io.out(`${file}:${a.line + 1}: fixed: ${a.title}`);
    results.push({ file, problems: fixed.problems, fixed: fixed.applied.map((a) => ({ line: a.line + 1, title: a.title })) });
  }
  if (json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const { file, problems } of results) for (const p of problems) io.out(formatProblem(file, p));
    const count = results.reduce((n, r) => n + r.problems.length, 0);
    const fixedCount = results.reduce((n, r) => n + (r.fixed?.length ?? 0), 0);
    const fixedText = fix ? `${fixedCount} fix(es) ${dryRun ? 'would be applied' : 'applied'}; ` : '';
    io.out(`${fixedText}${count === 0 ? 'no problems' : `${count} problem(s)`}${fix && count > 0 ? ' remain' : ''}`);
  }
  return results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}
