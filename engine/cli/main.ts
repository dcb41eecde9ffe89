// dtls-lab: run the annotated GDScript DTLS pairs of .gd and Markdown files, check them, run a
// plain script, or start a DTLS echo server. Each command lives in its own file.

import { CHECK_USAGE, checkCommand } from './check-command';
import { ECHO_USAGE, echoCommand } from './echo-command';
import { pairCommand, RUN_USAGE, TEST_USAGE } from './pair-command';
import { SCRIPT_USAGE, scriptCommand } from './script-command';

const USAGE = `Usage:
${RUN_USAGE}
${TEST_USAGE}
${CHECK_USAGE}
${SCRIPT_USAGE}
${ECHO_USAGE}

Snippets start at a comment line "# @dtls server" or "# @dtls client"; in Markdown, a \`\`\`gdscript
fence whose first line is such a comment. Each client pairs with the nearest server before it.
"dtls-lab COMMAND --help" explains each command.`;

const io = { out: (text: string) => console.log(text), err: (text: string) => console.error(text) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
    case 'test':
      return pairCommand(command, rest, io);
    case 'check':
      return checkCommand(rest, io);
    case 'script':
      return scriptCommand(rest, io);
    case 'echo':
      return echoCommand(rest, io);
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    default:
      io.err(command ? `dtls-lab: unknown command "${command}".\n\n${USAGE}` : USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`dtls-lab: internal error: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 70;
  },
);
