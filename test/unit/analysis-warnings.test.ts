// Godot's standard warnings: each one triggered (code = Godot's name, Godot's wording, exact range),
// unused things tagged `unnecessary`, underscore-prefixed names exempt, `@warning_ignore` honoured, and
// RETURN_VALUE_DISCARDED off unless turned on.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../engine/analysis/analyze-document';
import { brief, problemsOf, rangeOf } from './analysis-helpers';

function warning(code: string, message: string, range: ReturnType<typeof rangeOf>) {
  return { code, message, range };
}

describe('analyzer: Godot warnings', () => {
  it('UNUSED_VARIABLE, UNUSED_LOCAL_CONSTANT and UNUSED_PARAMETER, tagged unnecessary', () => {
    const src = 'extends Node\n\nfunc send(data, port):\n\tvar copy := 1\n\tconst LIMIT = 2\n\tprint(port)\n';
    const problems = problemsOf(src);
    assert.deepEqual(problems.map(brief), [
      warning('UNUSED_PARAMETER', 'The parameter "data" is never used in the function "send()". If this is intended, prefix it with an underscore: "_data".', rangeOf(src, 'data')),
      warning('UNUSED_VARIABLE', 'The local variable "copy" is declared but never used in the block. If this is intended, prefix it with an underscore: "_copy".', rangeOf(src, 'copy')),
      warning('UNUSED_LOCAL_CONSTANT', 'The local constant "LIMIT" is declared but never used in the block. If this is intended, prefix it with an underscore: "_LIMIT".', rangeOf(src, 'LIMIT')),
    ]);
    assert.ok(problems.every((p) => p.severity === 'warning' && p.tags?.includes('unnecessary')));
  });

  it('exempts names that start with an underscore', () => {
    assert.deepEqual(problemsOf('extends Node\n\nfunc _process(_delta):\n\tvar _unused := 1\n\tconst _C = 2\n'), []);
  });

  it('UNUSED_SIGNAL unless the signal is emitted, connected or named in emit_signal()', () => {
    const src = 'extends Node\nsignal never_used\nsignal emitted\nsignal by_name\n\nfunc _ready():\n\temitted.emit()\n\temit_signal("by_name")\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('UNUSED_SIGNAL', 'The signal "never_used" is declared but never explicitly used in the class.', rangeOf(src, 'never_used')),
    ]);
  });

  it('UNASSIGNED_VARIABLE and UNASSIGNED_VARIABLE_OP_ASSIGN', () => {
    const src = 'extends Node\n\nfunc _ready():\n\tvar amount\n\tprint(amount)\n\tvar total\n\ttotal += 1\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('UNASSIGNED_VARIABLE', 'The variable "amount" was used before being assigned a value.', rangeOf(src, 'amount', 1)),
      warning('UNASSIGNED_VARIABLE_OP_ASSIGN', 'Using assignment with operation but the variable "total" was not previously assigned a value.', rangeOf(src, 'total', 1)),
    ]);
  });

  it('SHADOWED_VARIABLE, SHADOWED_VARIABLE_BASE_CLASS and SHADOWED_GLOBAL_IDENTIFIER', () => {
    const src = 'extends Node\nvar peer := 1\n\nfunc _ready():\n\tvar peer := 2\n\tvar name := "x"\n\tvar print := 3\n\tprint(peer, name, print)\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('SHADOWED_VARIABLE', 'The local variable "peer" is shadowing an already-declared variable at line 2 in the current class.', rangeOf(src, 'peer', 1)),
      warning('SHADOWED_VARIABLE_BASE_CLASS', 'The local variable "name" is shadowing an already-declared property in the base class "Node".', rangeOf(src, 'name')),
      warning('SHADOWED_GLOBAL_IDENTIFIER', 'The variable "print" has the same name as a built-in function.', rangeOf(src, 'print')),
    ]);
  });

  it('UNREACHABLE_CODE after return (also after an if/else that returns on every branch)', () => {
    const src = 'extends Node\n\nfunc f(x):\n\tif x:\n\t\treturn 1\n\telse:\n\t\treturn 2\n\tprint("never")\n';
    const [p] = problemsOf(src);
    assert.deepEqual(brief(p), warning('UNREACHABLE_CODE', 'Unreachable code (statement after return) in function "f()".', rangeOf(src, 'print("never")')));
    assert.deepEqual(p.tags, ['unnecessary']);
  });

  it('UNREACHABLE_PATTERN after a wildcard', () => {
    const src = 'extends Node\n\nfunc f(x):\n\tmatch x:\n\t\t_:\n\t\t\tpass\n\t\t1:\n\t\t\tpass\n';
    assert.deepEqual(problemsOf(src).map(brief), [warning('UNREACHABLE_PATTERN', 'Unreachable pattern (pattern after wildcard or bind).', rangeOf(src, '1'))]);
  });

  it('STANDALONE_EXPRESSION and STANDALONE_TERNARY', () => {
    const src = 'extends Node\n\nfunc f(x):\n\tx + 1\n\t1 if x else 2\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('STANDALONE_EXPRESSION', 'Standalone expression (the line may have no effect).', rangeOf(src, 'x + 1')),
      warning('STANDALONE_TERNARY', 'Standalone ternary operator: the return value is being discarded.', rangeOf(src, '1 if x else 2')),
    ]);
  });

  it('INTEGER_DIVISION, NARROWING_CONVERSION and INCOMPATIBLE_TERNARY', () => {
    const src = 'extends Node\n\nfunc f(x):\n\tvar half := 7 / 2\n\tvar n: int = 2.5\n\tvar v = 1 if x else "one"\n\tprint(half, n, v)\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('INTEGER_DIVISION', 'Integer division, decimal part will be discarded.', rangeOf(src, '7 / 2')),
      warning('NARROWING_CONVERSION', 'Narrowing conversion (float is converted to int and loses precision).', rangeOf(src, '2.5')),
      warning('INCOMPATIBLE_TERNARY', 'Values of the ternary operator are not mutually compatible.', rangeOf(src, '1 if x else "one"')),
    ]);
  });

  it('REDUNDANT_AWAIT on a value that is neither a signal nor a coroutine', () => {
    const src = 'extends Node\n\nfunc _ready():\n\tawait get_tree().process_frame\n\tawait 3\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      warning('REDUNDANT_AWAIT', '"await" keyword not needed in this case, because the expression isn\'t a coroutine nor a signal.', rangeOf(src, 'await 3')),
    ]);
  });

  it('RETURN_VALUE_DISCARDED only when turned on', () => {
    const src = 'extends Node\nvar udp := PacketPeerUDP.new()\n\nfunc _ready():\n\tudp.bind(4242)\n';
    assert.deepEqual(problemsOf(src), []);
    assert.deepEqual(analyzeDocument(src, 'gdscript', { enable: ['RETURN_VALUE_DISCARDED'] }).map(brief), [
      warning('RETURN_VALUE_DISCARDED', 'The function "bind()" returns a value that will be discarded if not used.', rangeOf(src, 'udp.bind(4242)')),
    ]);
  });

  it('honours @warning_ignore on a statement and on a function', () => {
    const src = `extends Node

@warning_ignore("unused_parameter")
func send(data):
	pass

func _ready():
	@warning_ignore("integer_division", "unused_variable")
	var half := 7 / 2
	var third := 9 / 3
	print(third)
`;
    assert.deepEqual(problemsOf(src).map(brief), [warning('INTEGER_DIVISION', 'Integer division, decimal part will be discarded.', rangeOf(src, '9 / 3'))]);
  });
});
