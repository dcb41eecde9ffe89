// textDocument/signatureHelp: the analyzer's signature help (engine/analysis/queries.ts).
import { MarkupKind, type Position, type SignatureHelp } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { signatureHelpAt } from '../engine/analysis/queries';
import { languageOf } from './language';

/** `(` opens the help, `,` moves to the next parameter. */
export const SIGNATURE_TRIGGERS = ['(', ','];

const markdown = (value: string | undefined) => (value ? { kind: MarkupKind.Markdown, value } : undefined);

export function signatureHelp(document: TextDocument, position: Position): SignatureHelp | null {
  const found = signatureHelpAt(document.getText(), languageOf(document.languageId, document.uri), position);
  if (!found || found.signatures.length === 0) return null;
  return {
    signatures: found.signatures.map((s) => ({
      label: s.label,
      documentation: markdown(s.documentation),
      parameters: s.parameters.map((p) => ({ label: p.label, documentation: markdown(p.documentation) })),
    })),
    activeSignature: found.activeSignature,
    activeParameter: found.activeParameter,
  };
}
