// Bundles the three programs the product ships: the VS Code extension, the language server and the CLI.
import { build } from 'esbuild';
import { statSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const programs = [
  // The extension is loaded into every VS Code window that opens a .gd or .md file: minified, it loads faster.
  { entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], minify: true },
  { entryPoints: ['server/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['engine/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
await Promise.all(programs.map((p) => build({ ...common, ...p })));
for (const p of programs) console.log(`${p.outfile} ${(statSync(p.outfile).size / 1024).toFixed(0)} KiB`);
