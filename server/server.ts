// Godot DTLS Lab language server. Started by the extension over Node IPC, or by any LSP editor with
// `node dist/server.js --stdio` (createConnection picks the transport from argv).
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runLenses } from './code-lenses';
import { DiagnosticsPublisher } from './diagnostics';
import { languageOf } from './language';
import { SERVER_RUN_COMMAND, type LinkKind, type RunPairResult } from './protocol';
import { parseRunArguments, readFromDisk, runPairAt } from './run-command';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const diagnostics = new DiagnosticsPublisher(connection);
let canReadConfiguration = false;

connection.onInitialize((params): InitializeResult => {
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [SERVER_RUN_COMMAND] },
    },
    serverInfo: { name: 'godot-dtls-lab' },
  };
});

documents.onDidOpen(({ document }) => diagnostics.publish(document));
documents.onDidChangeContent(({ document }) => diagnostics.documentChanged(document));
documents.onDidClose(({ document }) => diagnostics.documentClosed(document.uri));

connection.onCodeLens(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  return document ? runLenses(document) : [];
});

/** The link the editor is configured with, when the caller did not say. */
async function configuredLink(uri: string): Promise<LinkKind> {
  if (!canReadConfiguration) return 'virtual';
  try {
    const value: unknown = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'dtlsLab.link' });
    return value === 'udp' ? 'udp' : 'virtual';
  } catch {
    return 'virtual';
  }
}

connection.onExecuteCommand(async ({ command, arguments: args }): Promise<RunPairResult | undefined> => {
  if (command !== SERVER_RUN_COMMAND) return undefined;
  const request = parseRunArguments(args);
  request.link ??= await configuredLink(request.uri);
  const open = documents.get(request.uri);
  const text = open ? open.getText() : readFromDisk(request.uri);
  const version = open?.version;
  const result = await runPairAt(text, languageOf(open?.languageId, request.uri), request);
  const r = result.report;
  connection.console.log(`ran ${r.server.name} ↔ ${r.client.name} over ${r.link} link: ${r.ok ? 'ok' : 'failed'}, ${r.problems.length} problem(s), ${r.durationMs} ms`);
  const current = documents.get(request.uri);
  if (current && version !== undefined) diagnostics.runFinished(current, version, r.problems);
  return result;
});

connection.onShutdown(() => diagnostics.dispose());

documents.listen(connection);
connection.listen();
