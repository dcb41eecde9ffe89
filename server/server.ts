// Godot DTLS Lab language server. Started by the extension over Node IPC, or by any LSP editor with
// `node dist/server.js --stdio` (createConnection picks the transport from argv). Capabilities and
// custom messages: server/README.md.
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeActionParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RunLimits } from '../engine/sandbox/limits';
import { clientPortAt, parseClientPortArguments } from './client-port';
import { CODE_ACTION_KINDS, codeActions } from './code-actions';
import { runLenses } from './code-lenses';
import { completion, COMPLETION_TRIGGERS } from './completion';
import { definition } from './definition';
import { DiagnosticsPublisher } from './diagnostics';
import { hover } from './hover';
import { languageOf } from './language';
import {
  RUN_REPORT_NOTIFICATION,
  SERVER_CLIENT_PORT_COMMAND,
  SERVER_RUN_COMMAND,
  STATS_REQUEST,
  type ClientPortResult,
  type InitializationOptions,
  type LinkKind,
  type RunPairResult,
  type RunReportParams,
  type ServerStats,
} from './protocol';
import { parseRunArguments, readFromDisk, runPairAt } from './run-command';
import { limitsFromSettings } from './run-limits';
import { RunResults } from './run-results';
import { semanticTokens, SEMANTIC_TOKENS_LEGEND } from './semantic-tokens';
import { signatureHelp, SIGNATURE_TRIGGERS } from './signature-help';
import { symbols } from './symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const runs = new RunResults();
const diagnostics = new DiagnosticsPublisher(connection, runs);
let canReadConfiguration = false;

connection.onInitialize((params): InitializeResult => {
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  const delay = options.diagnosticsDelayMs;
  if (typeof delay === 'number' && Number.isFinite(delay) && delay >= 0) diagnostics.delayMs = delay;
  // Off when the client says so (the VS Code extension does when godot-tools colours GDScript already).
  const withSemanticTokens = options.semanticTokens !== false;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      signatureHelpProvider: { triggerCharacters: SIGNATURE_TRIGGERS, retriggerCharacters: [')'] },
      definitionProvider: true,
      documentSymbolProvider: true,
      ...(withSemanticTokens ? { semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true } } : {}),
      executeCommandProvider: { commands: [SERVER_RUN_COMMAND, SERVER_CLIENT_PORT_COMMAND] },
    },
    serverInfo: { name: 'godot-dtls-lab' },
  };
});

documents.onDidOpen(({ document }) => diagnostics.publish(document));
documents.onDidChangeContent(({ document }) => diagnostics.documentChanged(document));
documents.onDidClose(({ document }) => diagnostics.documentClosed(document.uri));

/**
 * Answers a query about an open document with `answer`; a document the server does not have, or a
 * query that fails (logged), answers `empty` instead of an error in the editor.
 */
function query<P extends { textDocument: { uri: string } }, R>(name: string, empty: R, answer: (document: TextDocument, params: P) => R) {
  return (params: P): R => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return empty;
    try {
      return answer(document, params);
    } catch (error) {
      connection.console.error(`${name} failed on ${params.textDocument.uri}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return empty;
    }
  };
}

connection.onCodeLens(query('code lenses', [], (document) => runLenses(document, runs)));
connection.onCodeAction(query('code actions', [], (document, params: CodeActionParams) => codeActions(document, diagnostics.problemsOf(document), params)));
connection.onHover(query('hover', null, (document, { position }) => hover(document, position)));
connection.onCompletion(query('completion', [], (document, { position }) => completion(document, position)));
connection.onSignatureHelp(query('signature help', null, (document, { position }) => signatureHelp(document, position)));
connection.onDefinition(query('definition', null, (document, { position }) => definition(document, position)));
connection.onDocumentSymbol(query('document symbols', [], (document) => symbols(document)));
connection.languages.semanticTokens.on(query('semantic tokens', { data: [] }, (document) => semanticTokens(document)));
connection.languages.semanticTokens.onRange(query('semantic tokens', { data: [] }, (document, { range }) => semanticTokens(document, range)));

/** The link (when the caller did not say) and the run limits the editor is configured with. */
async function configuredRun(uri: string): Promise<{ link: LinkKind; limits: Partial<RunLimits> }> {
  if (!canReadConfiguration) return { link: 'virtual', limits: {} };
  let link: unknown;
  let limitsSection: unknown;
  try {
    [link, limitsSection] = await connection.workspace.getConfiguration([
      { scopeUri: uri, section: 'dtlsLab.link' },
      { scopeUri: uri, section: 'dtlsLab.limits' },
    ]) as unknown[];
  } catch {
    return { link: 'virtual', limits: {} };
  }
  const { limits, problems } = limitsFromSettings(limitsSection);
  for (const problem of problems) connection.console.warn(problem);
  return { link: link === 'udp' ? 'udp' : 'virtual', limits };
}

connection.onExecuteCommand(async ({ command, arguments: args }): Promise<RunPairResult | ClientPortResult | undefined> => {
  if (command === SERVER_CLIENT_PORT_COMMAND) {
    const { uri, line } = parseClientPortArguments(args);
    const open = documents.get(uri);
    return clientPortAt(open ? open.getText() : readFromDisk(uri), languageOf(open?.languageId, uri), line);
  }
  if (command !== SERVER_RUN_COMMAND) return undefined;
  const request = parseRunArguments(args);
  const configured = await configuredRun(request.uri);
  request.link ??= configured.link;
  request.limits = configured.limits;
  const open = documents.get(request.uri);
  const text = open ? open.getText() : readFromDisk(request.uri);
  const version = open?.version ?? null;
  const { result, pair } = await runPairAt(text, languageOf(open?.languageId, request.uri), request);
  const r = result.report;
  connection.console.log(`ran ${r.server.name} ↔ ${r.client.name} over ${r.link} link: ${r.ok ? 'ok' : 'failed'}, ${r.problems.length} problem(s), ${r.durationMs} ms`);
  const current = documents.get(request.uri);
  if (current && version !== null) {
    runs.record(request.uri, text, pair, result);
    diagnostics.runsChanged(current);
  }
  const notification: RunReportParams = { uri: request.uri, version, result };
  void connection.sendNotification(RUN_REPORT_NOTIFICATION, notification);
  return result;
});

connection.onRequest(STATS_REQUEST, (): ServerStats => {
  const memory = process.memoryUsage();
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, openDocuments: documents.all().length, storedRuns: runs.size };
});

connection.onShutdown(() => diagnostics.dispose());

documents.listen(connection);
connection.listen();
