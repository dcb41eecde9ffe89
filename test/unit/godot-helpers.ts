// Helpers for the Godot API tests: run a GDScript snippet alone (as the client of a pair whose server
// does nothing) or a server/client pair, and read what happened.

import { readSnippets } from '../../engine/sandbox/document';
import type { Problem, RunReport } from '../../engine/sandbox/report';
import { runPair, type RunOptions } from '../../engine/sandbox/run-pair';

/** Lines before the script in runScript()'s document. */
export const SCRIPT_LINE_OFFSET = 3;

function pairOf(text: string) {
  const doc = readSnippets(text, 'gdscript');
  if (doc.pairs.length !== 1) throw new Error(`expected one pair, got ${doc.pairs.length}: ${JSON.stringify(doc.problems)}`);
  return doc.pairs[0];
}

export interface ScriptOutcome {
  report: RunReport;
  /** What the script printed. */
  prints: string[];
  /** Godot-style error lines (ERROR: ...) of the script, without the prefix. */
  errors: string[];
  /** Problems of the script (runtime errors, budget, deadlock, ...) other than error lines. */
  failures: Problem[];
}

function outcome(report: RunReport, peer: string): ScriptOutcome {
  return {
    report,
    prints: report.peers.find((p) => p.name === peer)?.prints.map((p) => p.text) ?? [],
    errors: report.problems.filter((p) => p.peer === peer && p.code === 'godot-error').map((p) => p.message.replace(/^ERROR: /, '')),
    failures: report.problems.filter((p) => p.peer === peer && p.code !== 'godot-error'),
  };
}

/** Tab-indents a snippet written with two-space indentation in test sources. */
export function gd(source: string): string {
  return source.replace(/^\n/, '').replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2));
}

/** Runs one script as its own peer (it is the client of a pair whose server does nothing). */
export async function runScript(source: string, options: Partial<RunOptions> = {}): Promise<ScriptOutcome> {
  const text = `# @dtls server\nextends Node\n# @dtls client\n${gd(source)}\n`;
  const report = await runPair(pairOf(text), { link: 'virtual', ...options });
  return outcome(report, 'client');
}

/** Runs a server script and a client script as a pair. */
export async function runScripts(server: string, client: string, options: Partial<RunOptions> = {}): Promise<{ report: RunReport; server: ScriptOutcome; client: ScriptOutcome }> {
  const text = `# @dtls server\n${gd(server)}\n# @dtls client\n${gd(client)}\n`;
  const report = await runPair(pairOf(text), { link: 'virtual', ...options });
  return { report, server: outcome(report, 'server'), client: outcome(report, 'client') };
}
