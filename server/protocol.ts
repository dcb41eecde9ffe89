// What the language server and the extension agree on. Constants and types only: the client imports
// this file, so it must not pull engine code (or anything else) into the extension bundle.
import type { RunReport } from '../engine/sandbox/report';
import type { LinkShape } from '../engine/sandbox/options';

/**
 * VS Code command the run lenses point at (registered by the extension, which shows the result).
 * Arguments: `[uri: string, line: number, link?: LinkKind | null, settings?: RunLinkSettings]`, the
 * same as SERVER_RUN_COMMAND's, which the extension forwards them to.
 */
export const CLIENT_RUN_COMMAND = 'dtlsLab.runPair';

/**
 * workspace/executeCommand id handled by the server. Deliberately different from the lens command:
 * vscode-languageclient registers a VS Code command for every id the server advertises, and two
 * registrations of one id would collide.
 *
 * Arguments: `[uri: string, line: number, link?: 'virtual' | 'udp' | null, settings?: RunLinkSettings]`.
 * `line` is normally the line of the server snippet's annotation; any line inside one of the pair's
 * snippets also selects the pair. `settings` shapes both directions of the virtual link over the
 * snippets' own options (e.g. `{ loss: 0.2 }`).
 */
export const SERVER_RUN_COMMAND = 'dtlsLab.server.runPair';

/**
 * Link settings of one run, applied to both directions over the snippets' own options: `loss`,
 * `duplicate`, `reorder` are shares from 0 to 1, `delayMs`/`jitterMs` milliseconds, `mtu` bytes,
 * `bandwidthBps` bits per second; `seed` seeds the link's random choices.
 */
export interface RunLinkSettings extends LinkShape {
  seed?: number;
}

/**
 * VS Code command of the "Run as server" / "Run as client" lenses on un-annotated Markdown fences
 * (registered by the extension). Arguments: `[uri: string, line: number, role: 'server' | 'client']`;
 * it inserts `# @dtls ROLE` as line `line` (the fence's first content line).
 */
export const CLIENT_ANNOTATE_COMMAND = 'dtlsLab.annotateSnippet';

/**
 * VS Code command of the "⚡ Echo server for this client" lens on every client snippet (registered by
 * the extension): starts the echo server on the port that client connects to.
 * Arguments: `[uri: string, line: number]`, `line` being the client's annotation line.
 */
export const CLIENT_ECHO_COMMAND = 'dtlsLab.startEchoForClient';

/**
 * workspace/executeCommand id handled by the server: the UDP port a client snippet sends to, for
 * CLIENT_ECHO_COMMAND. Arguments: `[uri: string, line: number]` (any line of the client's snippet);
 * result: ClientPortResult.
 */
export const SERVER_CLIENT_PORT_COMMAND = 'dtlsLab.server.clientPort';

/** Where a client snippet's port came from, with the port (DEFAULT_ECHO_PORT when none was found). */
export interface ClientPortResult {
  port: number;
  source: 'port= option' | 'connect_to_host()' | 'default';
}

/** The echo server's default port (`dtls-lab echo`). */
export const DEFAULT_ECHO_PORT = 4242;

/** Titles of the suggestion lenses, by role. */
export const ANNOTATE_LENS_TITLES = { server: 'Run as server', client: 'Run as client' } as const;

/** Source of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'dtls-lab';

/** Title of the lens shown on each runnable server annotation. */
export const RUN_LENS_TITLE = '▶ Run DTLS pair';

/** Title of the lens that runs the pair with LOSS_LENS_SETTINGS on the virtual link. */
export const LOSS_LENS_TITLE = '▶ Run with 20% loss';

/** The link settings of the LOSS_LENS_TITLE lens. */
export const LOSS_LENS_SETTINGS: RunLinkSettings = { loss: 0.2 };

/** Title of the lens on each client snippet (command CLIENT_ECHO_COMMAND). */
export const ECHO_LENS_TITLE = '⚡ Echo server for this client';

/** Title of the `source.fixAll` code action. */
export const FIX_ALL_TITLE = 'Fix all Godot 3 → 4 in file';

export type LinkKind = 'virtual' | 'udp';

/** Result of SERVER_RUN_COMMAND (and of the extension's CLIENT_RUN_COMMAND). */
export interface RunPairResult {
  /** The engine's report, unchanged. */
  report: RunReport;
  /** The report rendered as a readable timeline (no colors). */
  text: string;
  /** The document lines of the pair's snippets and their fragments, sorted: an edit there makes the run stale. */
  lines: LineSpan[];
}

/** Lines [start, end) of a document: a snippet from its annotation through the line that ends it. */
export interface LineSpan {
  start: number;
  end: number;
}

/**
 * Notification the server sends after every run of SERVER_RUN_COMMAND, whoever started it, so the
 * client can follow runs started from anywhere. Payload: RunReportParams.
 */
export const RUN_REPORT_NOTIFICATION = 'dtlsLab/runReport';

export interface RunReportParams {
  uri: string;
  /** Version of the open document that was run; null when the file was read from disk. */
  version: number | null;
  result: RunPairResult;
}

/** Request (no params) answered with ServerStats: what the server process holds. */
export const STATS_REQUEST = 'dtlsLab/stats';

export interface ServerStats {
  /** Resident set size of the server process, bytes. */
  rssBytes: number;
  heapUsedBytes: number;
  /** Documents the editor has open on the server. */
  openDocuments: number;
  /** Runs whose results the server keeps (for diagnostics and lenses). */
  storedRuns: number;
}

/** `initializationOptions` the server understands (all optional). */
export interface InitializationOptions {
  /** Pause after the last edit before diagnostics are re-checked, ms (default 150; 0 = next tick). */
  diagnosticsDelayMs?: number;
  /** Offer semantic tokens (syntax colouring by meaning); default true. The VS Code extension turns them off when godot-tools is installed. */
  semanticTokens?: boolean;
}
