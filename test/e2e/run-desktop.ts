// The same in-VS-Code suite (test/e2e/suite) on a desktop VS Code, through @vscode/test-electron.
// Not part of `npm test`: it downloads VS Code (~150 MB) unless VSCODE_PATH names an installed one.
//
//   npm run build && npx tsc -p . && node out/test/e2e/run-desktop.js
//   VSCODE_PATH=/usr/share/code/code node out/test/e2e/run-desktop.js     (offline, a local VS Code)
//   VSCODE_VERSION=1.100.3 node out/test/e2e/run-desktop.js               (a given version; default: stable)
//
// Mocha comes from the e2e host (test/e2e/host, installed by run-e2e.js) or from MOCHA_PATH. The suite
// needs `openssl` on PATH (the echo server test) and a display (xvfb-run on a headless Linux).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const mochaPath = process.env.MOCHA_PATH ?? path.join(ROOT, 'test', 'e2e', 'host', 'node_modules', 'mocha');
  if (!existsSync(mochaPath)) {
    console.error(`run-desktop: mocha not found at ${mochaPath}: run node out/test/e2e/run-e2e.js once (it installs test/e2e/host) or set MOCHA_PATH.`);
    return 2;
  }
  for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
    if (!existsSync(path.join(ROOT, bundle))) {
      console.error(`run-desktop: ${bundle} is missing: run npm run build first.`);
      return 2;
    }
  }
  const userData = mkdtempSync(path.join(tmpdir(), 'dtls-lab-desktop-'));
  try {
    await runTests({
      ...(process.env.VSCODE_PATH ? { vscodeExecutablePath: process.env.VSCODE_PATH } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { MOCHA_PATH: mochaPath, ...(process.env.E2E_GREP ? { E2E_GREP: process.env.E2E_GREP } : {}) },
      // The repository as the workspace (the suite opens examples/), a throw-away profile, nothing else loaded.
      launchArgs: [ROOT, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (error) {
    console.error(`run-desktop: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
