// Applies a document's safe fixes until none is left: `dtls-lab check --fix` and the editor's "Fix all".
// Each round checks the text, applies every safe fix that does not overlap another one (applyFixes), and
// checks again; fixes left out because of an overlap (a fix inside a construct that another fix rewrites)
// are found again in the next round, on the rewritten text.

import { checkDocument } from '../sandbox/check';
import type { DocumentLanguage } from '../sandbox/document';
import type { Problem, QuickFix } from '../sandbox/report';
import { applyEdits, planFixes } from './apply-fixes';

export interface AppliedFix {
  title: string;
  /** Zero-based line of the problem, in the text of the round that fixed it. */
  line: number;
  round: number;
  code: string;
}

export interface FixedDocument {
  text: string;
  applied: AppliedFix[];
  /** The problems of the final text. */
  problems: Problem[];
  /** Rounds that changed the text. */
  rounds: number;
}

export interface FixDocumentOptions {
  /** Which problems' fixes to apply (default: all); e.g. `(p) => p.code === 'godot3'`. */
  only?: (problem: Problem) => boolean;
  /** Default 10. */
  maxRounds?: number;
}

export function fixDocument(text: string, language: DocumentLanguage, options: FixDocumentOptions = {}): FixedDocument {
  const maxRounds = options.maxRounds ?? 10;
  const applied: AppliedFix[] = [];
  let problems = checkDocument(text, language);
  let rounds = 0;
  while (rounds < maxRounds) {
    const candidates: { fix: QuickFix; problem: Problem }[] = [];
    for (const problem of problems) {
      if (options.only && !options.only(problem)) continue;
      const fix = problem.fixes?.find((f) => f.safe);
      if (fix) candidates.push({ fix, problem });
    }
    const { accepted } = planFixes(candidates.map((c) => c.fix));
    if (accepted.length === 0) break;
    const next = applyEdits(text, accepted.flatMap((f) => f.edits));
    if (next === text) break;
    rounds++;
    for (const { fix, problem } of candidates)
      if (accepted.includes(fix)) applied.push({ title: fix.title, line: problem.range.start.line, round: rounds, code: problem.code });
    text = next;
    problems = checkDocument(text, language);
  }
  return { text, applied, problems, rounds };
}
