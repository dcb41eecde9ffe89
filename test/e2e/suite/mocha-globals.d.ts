// The few mocha "tdd" globals the suite uses. Mocha itself is not a project dependency: it comes from
// the e2e host (test/e2e/host) and is loaded by index.ts from MOCHA_PATH inside the extension host.
declare function suite(title: string, fn: (this: { timeout(ms: number): void }) => void): void;
declare function test(title: string, fn: (this: { timeout(ms: number): void; skip(): never }) => Promise<void> | void): void;
declare function suiteSetup(fn: () => Promise<void> | void): void;
declare function teardown(fn: () => Promise<void> | void): void;
