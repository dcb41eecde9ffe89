// The shipped examples and the conformance scripts are correct programs: analyzeDocument() finds no errors
// in them, and the only warnings are ones Godot itself gives for that code (listed here).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../engine/analysis/analyze-document';

const ROOT = join(__dirname, '..', '..', '..');

/** Warnings Godot 4.3 shows for these files too: `file → code@line` (1-based). */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  // The class reference's own example keeps `func _process(delta)` without using delta.
  'examples/class-reference-pair.gd': ['UNUSED_PARAMETER@27', 'UNUSED_PARAMETER@56'],
  // The conformance scripts print integer divisions on purpose.
  'test/conformance/arithmetic.gd': ['INTEGER_DIVISION@15', 'INTEGER_DIVISION@15', 'INTEGER_DIVISION@15', 'INTEGER_DIVISION@15', 'INTEGER_DIVISION@17', 'INTEGER_DIVISION@30'],
  'test/conformance/runtime_error.gd': ['INTEGER_DIVISION@8'],
  // A local named like one of the script's functions.
  'test/conformance/arrays_dicts.gd': ['SHADOWED_VARIABLE@25'],
};

function files(folder: string, extensions: string[]): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .map((f) => `${folder}/${f}`);
}

describe('analyzer on the examples and conformance scripts', () => {
  for (const file of [...files('examples', ['.gd', '.md']), ...files('test/conformance', ['.gd'])]) {
    it(`${file}: no errors, no warnings Godot would not give`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const problems = analyzeDocument(text, file.endsWith('.md') ? 'markdown' : 'gdscript');
      assert.deepEqual(problems.filter((p) => p.severity === 'error').map((p) => `${p.message} (line ${p.range.start.line + 1})`), []);
      const warnings = problems.filter((p) => p.severity === 'warning').map((p) => `${p.code}@${p.range.start.line + 1}`);
      assert.deepEqual(warnings, EXPECTED_WARNINGS[file] ?? []);
    });
  }
});
