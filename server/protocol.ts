// What the language server and the extension agree on. Constants and types only: the client imports
// this file, so it must not pull engine code (or anything else) into the extension bundle.
import type { RunReport } from '../engine/sandbox/report';

/** VS Code command the code lens points at (registered by the extension, which shows the result). */
export const CLIENT_RUN_COMMAND = 'dtlsLab.runPair';

/**
 * workspace/executeCommand id handled by the server. Deliberately different from the lens command:
 * vscode-languageclient registers a VS Code command for every id the server advertises, and two
 * registrations of one id would collide.
 *
 * Arguments: `[uri: string, line: number, link?: 'virtual' | 'udp']`. `line` is normally the line of
 * the server snippet's annotation; any line inside one of the pair's snippets also selects the pair.
 */
export const SERVER_RUN_COMMAND = 'dtlsLab.server.runPair';

/**
 * VS Code command of the "Run as server" / "Run as client" lenses on un-annotated Markdown fences
 * (registered by the extension). Arguments: `[uri: string, line: number, role: 'server' | 'client']`;
 * it inserts `# @dtls ROLE` as line `line` (the fence's first content line).
 */
export const CLIENT_ANNOTATE_COMMAND = 'dtlsLab.annotateSnippet';

/** Titles of the suggestion lenses, by role. */
export const ANNOTATE_LENS_TITLES = { server: 'Run as server', client: 'Run as client' } as const;

/** Source of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'dtls-lab';

/** Title of the lens shown on each runnable server annotation. */
export const RUN_LENS_TITLE = '▶ Run DTLS pair';

export type LinkKind = 'virtual' | 'udp';

/** Result of SERVER_RUN_COMMAND (and of the extension's CLIENT_RUN_COMMAND). */
export interface RunPairResult {
  /** The engine's report, unchanged. */
  report: RunReport;
  /** The report rendered as a readable timeline (no colors). */
  text: string;
}
