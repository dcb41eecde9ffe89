// The shape of what the analyzer reports: the same as the sandbox's `Problem` (engine/sandbox/report.ts),
// declared here so engine/analysis does not depend on the sandbox for it.

import type { QuickFix, Range } from '../gdscript/range';

export type AnalysisSeverity = 'error' | 'warning' | 'info';

export interface AnalysisProblem {
  severity: AnalysisSeverity;
  /** `undeclared-identifier`, `unknown-member`, …, a Godot warning name (`UNUSED_VARIABLE`) or a DTLS lint (`dtls-…`). */
  code: string;
  message: string;
  range: Range;
  fixes?: QuickFix[];
  tags?: ('unnecessary' | 'deprecated')[];
}
