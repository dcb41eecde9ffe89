// The two DTLS snippets of examples/echo-pair.gd (the product's canonical pair), shared by the GDScript tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'echo-pair.gd'), 'utf8');
const clientStart = example.indexOf('# @dtls client');

export const SERVER_SCRIPT = example.slice(0, clientStart);
export const CLIENT_SCRIPT = example.slice(clientStart);
