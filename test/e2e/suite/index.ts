// Entry point of the in-VS-Code suite (extensionTestsPath). VS Code calls `run` inside the extension
// host; a rejected promise makes the workbench report a non-zero exit code (codeAutomationExit).
import * as path from 'node:path';

interface MochaRunner { on(event: string, fn: (...args: unknown[]) => void): MochaRunner }
interface MochaInstance { addFile(file: string): void; run(done: (failures: number) => void): MochaRunner }
type MochaConstructor = new (options: { ui: string; color: boolean; timeout: number; reporter?: string; grep?: string }) => MochaInstance;

export function run(): Promise<void> {
  const mochaPath = process.env.MOCHA_PATH;
  if (!mochaPath) return Promise.reject(new Error('MOCHA_PATH is not set (the e2e runner sets it to test/e2e/host/node_modules/mocha).'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require(mochaPath) as MochaConstructor;
  // E2E_GREP (inherited from the runner's environment) runs only the tests whose title contains it.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(process.env.E2E_GREP ? { grep: process.env.E2E_GREP } : {}) });
  for (const file of ['echo-pair.test.js', 'extension-features.test.js']) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
  });
}
