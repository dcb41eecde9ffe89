// Workspace trust: in Restricted Mode the extension still checks snippets (the language server's
// static diagnostics), but it runs nothing — no pair, no echo server, no CLI.
import * as vscode from 'vscode';

/** True when the workspace is trusted; otherwise tells the user why `what` is refused. */
export function trustedFor(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showErrorMessage(
      `Godot DTLS Lab: ${what} is disabled in Restricted Mode, because it runs code from this workspace. ` +
        'Diagnostics still work. Trust the workspace to run snippets and the echo server.',
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
