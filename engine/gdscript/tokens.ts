// Token kinds produced by the lexer (lexer.ts) and consumed by the parser (parser.ts).

import type { Range } from './range';

export type TokenKind =
  | 'identifier'
  | 'keyword'
  | 'operator' // punctuation and operators: + += ( ) : := -> . .. and so on
  | 'int'
  | 'float'
  | 'string' // "..." '...' """...""" r"..."
  | 'string_name' // &"..."
  | 'node_path' // ^"..."
  | 'annotation' // @export, @onready, ... (text includes the "@")
  | 'newline' // end of a logical line
  | 'indent'
  | 'dedent'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, keyword, operator text, annotation name (with "@") or the literal's source text. */
  text: string;
  /** Decoded value of int/float/string literals. */
  value?: number | bigint | string;
  range: Range;
}

/** GDScript 2.0 (Godot 4) reserved words. `true`, `false` and `null` are keywords that evaluate to literals. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'if', 'elif', 'else', 'for', 'while', 'match', 'when', 'break', 'continue', 'pass', 'return',
  'class', 'class_name', 'extends', 'is', 'in', 'as', 'self', 'super', 'signal', 'func', 'static',
  'const', 'enum', 'var', 'breakpoint', 'preload', 'await', 'yield', 'assert', 'void',
  'and', 'or', 'not', 'true', 'false', 'null',
]);

/** Operators and punctuation, longest first so the lexer can match greedily. */
export const OPERATORS: readonly string[] = [
  '**=', '<<=', '>>=',
  '**', '<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '^=', '&=', '|=',
  ':=', '->', '..',
  '+', '-', '*', '/', '%', '^', '&', '|', '~', '!', '=', '<', '>',
  '(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '$',
];

/** Assignment operators accepted at statement level. */
export const ASSIGNMENT_OPERATORS: ReadonlySet<string> = new Set([
  '=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '&=', '|=', '^=',
]);

/** How a token is named in error messages ("found "x" instead"). */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'newline': return 'Newline';
    case 'indent': return 'Indent';
    case 'dedent': return 'Dedent';
    case 'eof': return 'End of file';
    case 'int': case 'float': case 'string': case 'string_name': case 'node_path': return 'Literal';
    default: return token.text;
  }
}
