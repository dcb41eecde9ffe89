// dtls-lab: run the annotated GDScript DTLS pairs of .gd and Markdown files, check them, run a
// plain script, start a DTLS echo server or make its certificate. Each command lives in its own file.

import { CERT_USAGE, certCommand } from './cert-command';
import { CHECK_USAGE, checkCommand } from './check-command';
import { ECHO_USAGE, echoCommand } from './echo-command';
import { pairCommand, RUN_USAGE, TEST_USAGE } from './pair-command';
import { SCRIPT_USAGE, scriptCommand } from './script-command';

/** The commands, each with its own --help. */
const COMMANDS = ['run', 'test', 'check', 'script', 'echo', 'cert'] as const;

const USAGE = `Usage:
${RUN_USAGE}
${TEST_USAGE}
${CHECK_USAGE}
${SCRIPT_USAGE}
${ECHO_USAGE}
${CERT_USAGE}

Snippets start at a comment line "# @dtls server" or "# @dtls client"; in Markdown, a \`\`\`gdscript
fence whose first line is such a comment. Each client pairs with the nearest server before it.
"dtls-lab COMMAND --help" (or "dtls-lab help COMMAND") explains each command.`;

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
    case 'cert':
      return certCommand(rest, io);
    case 'help': {
      const topic = rest[0];
      if (topic === undefined) {
        io.out(USAGE);
        return 0;
      }
      if (!(COMMANDS as readonly string[]).includes(topic)) {
        io.err(`dtls-lab help: unknown command "${topic}"; the commands are ${COMMANDS.join(', ')}.`);
        return 2;
      }
      return main([topic, '--help']);
    }
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
