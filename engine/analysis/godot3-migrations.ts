// Godot 3 constructs in a Godot 4 script, each a `godot3` problem with a quick fix that rewrites it the
// Godot 4 way (not just a rename: argument order, inclusive ends, TLSOptions, Callables, signals).
//
// The syntax forms (tool, export, onready, setget, yield) come from the parser's `godot3` list; the rest
// from the syntax tree: calls, names and types. The facts (what is renamed to what) come from the one
// Godot class knowledge module, engine/godot/class-data.ts (GODOT3_RENAMES and the class specs'
// `godot3` notes); this file knows how to rewrite each kind of construct.

import type * as ast from '../gdscript/ast';
import type { QuickFix, Range, TextEdit } from '../gdscript/range';
import { walk } from '../gdscript/walk';
import { findClass, findMember, godot3Renames, isSubclass, type Godot3Rename, type MemberInfo } from '../godot/class-data';
import { gdscriptFences, readSnippets, type DocumentLanguage, type SnippetDocument } from '../sandbox/document';
import type { Problem } from '../sandbox/report';
import { parseShared } from './parse-cache';
import { SourceText } from './source-text';

export interface Godot3Options {
  /** Document line of the source's first line (ranges are document ranges, like parse()'s). */
  lineOffset?: number;
}

/** Every Godot 3 construct of one script, as `godot3` problems (tag `deprecated`) with their fixes. */
export function findGodot3Constructs(source: string, options: Godot3Options = {}): Problem[] {
  const lineOffset = options.lineOffset ?? 0;
  const parsed = parseShared(source, lineOffset);
  const migration = new Migration(parsed.script, new SourceText(source, lineOffset));
  for (const construct of parsed.godot3) migration.syntax(construct);
  walk(parsed.script, (node, parent) => migration.node(node, parent));
  return migration.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

// ---- facts ------------------------------------------------------------------------------------

/** `name(a, b)` or `Owner.name(a, b)` → its parts; undefined for anything else. */
function callShape(text: string): { owner?: string; name: string; params: string } | undefined {
  const m = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_][\w.]*)\(([^()]*)\)$/.exec(text);
  return m ? { owner: m[1], name: m[2], params: m[3].replace(/\s+/g, '') } : undefined;
}

/** A rename fact whose Godot 3 and Godot 4 forms take the same parameters: the fix is renaming the name. */
interface CallRename {
  rename: Godot3Rename;
  owner?: string;
  from: string;
  /** The Godot 4 name, dotted for a function that moved to a class (`JSON.parse_string`). */
  to: string;
}

function callRenames(kind: 'function' | 'method'): Map<string, CallRename[]> {
  const map = new Map<string, CallRename[]>();
  for (const rename of godot3Renames().filter((r) => r.kind === kind)) {
    const g3 = callShape(rename.godot3);
    const g4 = callShape(rename.godot4);
    if (!g3 || !g4 || g3.params !== g4.params) continue;
    const to = kind === 'function' && g4.owner ? `${g4.owner}.${g4.name}` : g4.name;
    if (kind === 'function' && g3.owner) continue; // OS.get_ticks_msec() and friends: from the OS class spec
    map.set(g3.name, [...(map.get(g3.name) ?? []), { rename, owner: g3.owner, from: g3.name, to }]);
  }
  return map;
}

let facts:
  | {
      functions: Map<string, CallRename[]>;
      methods: Map<string, CallRename[]>;
      classes: Map<string, Godot3Rename>;
      constants: Map<string, Godot3Rename>;
      signals: Map<string, string>;
    }
  | undefined;

function godot3Facts(): NonNullable<typeof facts> {
  facts ??= {
    functions: callRenames('function'),
    methods: callRenames('method'),
    classes: new Map(godot3Renames().filter((r) => r.kind === 'class').map((r) => [r.godot3, r])),
    constants: new Map(godot3Renames().filter((r) => r.kind === 'constant').map((r) => [r.godot3, r])),
    signals: new Map(
      godot3Renames()
        .filter((r) => r.kind === 'signal')
        .map((r) => [r.godot3.split('.').pop()!, r.godot4.split('.').pop()!]),
    ),
  };
  return facts;
}

const members = new Map<string, MemberInfo | undefined>();

/** findMember(), remembered: the class data never changes, and a script asks for the same members often. */
function memberOf(className: string, name: string): MemberInfo | undefined {
  const key = `${className}.${name}`;
  if (!members.has(key)) members.set(key, findMember(className, name));
  return members.get(key);
}

/** The class a declaration or assignment says: its type, or `X.new()`. */
function declaredClass(type: ast.TypeNode | undefined, value: ast.Expr | undefined): string | undefined {
  if (type && type.typeArguments.length === 0) return type.name;
  if (value?.kind === 'Call' && value.callee.kind === 'Member' && value.callee.name === 'new' && value.callee.object.kind === 'Identifier')
    return value.callee.object.name;
  return undefined;
}

/** A class of the emulated API (not String/Array/FuncRef, which the renames name but the lab has no spec for). */
function isEmulatedClass(name: string | undefined): boolean {
  return name !== undefined && findClass(name) !== undefined;
}

// ---- the rewriting ------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** Kinds of expression that can take `.name` or `(…)` after them without parentheses. */
function isPostfixSafe(e: ast.Expr): boolean {
  return ['Identifier', 'Self', 'Member', 'Call', 'Subscript', 'GetNode', 'Array', 'Dictionary'].includes(e.kind) ||
    (e.kind === 'Literal' && e.literalKind !== 'int' && e.literalKind !== 'float');
}

function stringLiteral(e: ast.Expr | undefined): string | undefined {
  return e?.kind === 'Literal' && e.literalKind === 'string' ? String(e.value) : undefined;
}

function intLiteral(e: ast.Expr | undefined): number | undefined {
  if (e?.kind === 'Literal' && e.literalKind === 'int' && typeof e.value === 'number') return e.value;
  if (e?.kind === 'Unary' && e.operator === '-') {
    const inner = intLiteral(e.operand);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

function boolLiteral(e: ast.Expr | undefined): boolean | undefined {
  return e?.kind === 'Literal' && e.literalKind === 'bool' ? Boolean(e.value) : undefined;
}

class Migration {
  readonly problems: Problem[] = [];
  /** The script's functions by name (a migration must not rename them; Thread.start looks at their parameters). */
  private readonly functions = new Map<string, ast.FunctionDecl>();
  /**
   * Variable name → the class it holds, when the script says so: its type (`var s: DTLSServer`), its
   * initializer or an assignment `X.new()`. null: declared, class unknown (or several classes).
   */
  private readonly variableTypes = new Map<string, string | null>();
  /** Nodes already covered by a fix of an enclosing construct. */
  private readonly handled = new Set<ast.Node>();
  /** Member variables by the range of each of their annotations (Godot 3's `export` becomes one). */
  private readonly annotated = new Map<string, ast.VarStatement>();

  constructor(script: ast.ScriptNode, private readonly text: SourceText) {
    const classes = new Map<string, Set<string>>();
    const note = (name: string, cls: string | undefined) => {
      const set = classes.get(name) ?? new Set<string>();
      if (cls) set.add(cls);
      classes.set(name, set);
    };
    walk(script, (node) => {
      if (node.kind === 'Function') this.functions.set(node.name, node);
      if (node.kind === 'Var') {
        note(node.name, declaredClass(node.type, node.initializer));
        for (const a of node.annotations) this.annotated.set(rangeKey(a.range), node);
      }
      if (node.kind === 'Parameter') note(node.name, declaredClass(node.type, node.defaultValue));
      if (node.kind === 'Assign' && node.operator === '=' && node.target.kind === 'Identifier' && classes.has(node.target.name))
        note(node.target.name, declaredClass(undefined, node.value));
    });
    for (const [name, set] of classes) this.variableTypes.set(name, set.size === 1 ? [...set][0] : null);
  }

  /** The class an expression holds, when the script says: a typed or `X.new()` variable, `get_tree()`, a class name. */
  private classOf(e: ast.Expr): string | undefined {
    if (e.kind === 'Identifier') {
      const declared = this.variableTypes.get(e.name);
      if (declared) return godot3Facts().classes.get(declared)?.godot4 ?? declared;
      if (declared === undefined && (isEmulatedClass(e.name) || godot3Facts().classes.has(e.name))) return godot3Facts().classes.get(e.name)?.godot4 ?? e.name;
      return undefined;
    }
    if (e.kind === 'Call' && e.callee.kind === 'Identifier' && e.callee.name === 'get_tree' && e.args.length === 0) return 'SceneTree';
    return undefined;
  }

  /** Whether a receiver may be of `className` (it is, or the script does not say what it is). */
  private mayBe(receiver: ast.Expr, ...classNames: string[]): boolean {
    const known = this.classOf(receiver);
    return known === undefined || !isEmulatedClass(known) || classNames.some((c) => isSubclass(known, c));
  }

  private src(e: ast.Node | Range): string {
    return this.text.slice('kind' in e ? e.range : e);
  }

  /** An expression's text, parenthesized when something is appended to it (`.name`, `(…)`). */
  private receiverText(e: ast.Expr): string {
    return isPostfixSafe(e) ? this.src(e) : `(${this.src(e)})`;
  }

  private report(range: Range, message: string, fix?: { title: string; edits: TextEdit[]; safe?: boolean }): void {
    const fixes: QuickFix[] | undefined = fix ? [{ title: fix.title, edits: fix.edits, safe: fix.safe ?? true }] : undefined;
    this.problems.push({ severity: 'error', code: 'godot3', message, range, tags: ['deprecated'], ...(fixes ? { fixes } : {}) });
  }

  /** A problem whose fix replaces `range` with `replacement`. */
  private replace(range: Range, message: string, replacement: string, safe = true): void {
    this.report(range, message, { title: replaceTitle(this.src(range), replacement), edits: [{ range, newText: replacement }], safe });
  }

  // ---- syntax forms (from the parser) -----------------------------------------------------------

  syntax(construct: ast.Godot3Syntax): void {
    switch (construct.kind) {
      case 'tool':
        this.replace(construct.range, 'Godot 3\'s "tool" is the annotation "@tool" in Godot 4.', '@tool');
        return;
      case 'onready':
        this.replace(construct.range, 'Godot 3\'s "onready var" is "@onready var" in Godot 4.', '@onready');
        return;
      case 'rpc':
        return this.rpcKeyword(construct);
      case 'export':
        return this.exportKeyword(construct);
      case 'setget':
        return this.setget(construct);
      case 'yield':
        return this.yieldCall(construct);
    }
  }

  /** `remote func` → `@rpc("any_peer") func`, `puppet func` → `@rpc func`, … (GODOT3_RENAMES keywords). */
  private rpcKeyword(construct: Extract<ast.Godot3Syntax, { kind: 'rpc' }>): void {
    const fact = godot3Renames().find((r) => r.kind === 'keyword' && r.godot3 === `${construct.keyword} func`);
    if (!fact) {
      this.report(construct.range, `Godot 3's "${construct.keyword} func" is an @rpc function in Godot 4.`);
      return;
    }
    const annotation = fact.godot4.replace(/ func$/, '');
    const message = `Godot 3's "${fact.godot3}" is "${fact.godot4}" in Godot 4. ${fact.description}${fact.review ? ` Review: ${fact.review}` : ''}`;
    this.replace(construct.range, message, annotation, fact.review === undefined);
  }

  /** `export`, `export(int)`, `export(String, FILE, "*.crt")`, `export(int, 1, 10)` … → the Godot 4 annotation and type. */
  private exportKeyword(construct: Extract<ast.Godot3Syntax, { kind: 'export' }>): void {
    const variable = this.annotated.get(rangeKey(construct.range));
    const written = this.src(construct.range);
    const mapped = this.exportAnnotation(construct.args);
    if (!mapped) {
      this.report(construct.range, `Godot 3's "${written}" has no direct Godot 4 equivalent the lab knows: write "@export var" with a type, or one of @export_range, @export_enum, @export_file, @export_flags.`);
      return;
    }
    const edits: TextEdit[] = [{ range: construct.range, newText: mapped.annotation }];
    let result = mapped.annotation;
    if (mapped.type && variable && !variable.type && !variable.inferType) {
      edits.push({ range: { start: variable.nameRange.end, end: variable.nameRange.end }, newText: `: ${mapped.type}` });
      result += ` var ${variable.name}: ${mapped.type}`;
    }
    this.report(construct.range, `Godot 3's "${written}" is "${result}" in Godot 4.`, { title: replaceTitle(written, result), edits });
  }

  private exportAnnotation(args: ast.Expr[]): { annotation: string; type?: string } | undefined {
    if (args.length === 0) return { annotation: '@export' };
    const [first, ...rest] = args;
    if (first.kind !== 'Identifier') return undefined;
    const type = godot3Facts().classes.get(first.name)?.godot4 ?? first.name;
    const words = rest.map((a) => (a.kind === 'Identifier' ? a.name : undefined));
    const strings = rest.map(stringLiteral);
    const list = (from: number) => rest.slice(from).map((a) => this.src(a)).join(', ');
    const withArgs = (name: string, from: number) => (rest.length > from ? `${name}(${list(from)})` : name);
    if (rest.length === 0) return { annotation: '@export', type };
    if (type === 'Array' && rest.length === 1 && words[0]) return { annotation: '@export', type: `Array[${godot3Facts().classes.get(words[0])?.godot4 ?? words[0]}]` };
    if (type === 'String') {
      const global = words.includes('GLOBAL');
      const flags = words.filter((w) => w === 'FILE' || w === 'DIR' || w === 'GLOBAL' || w === 'MULTILINE');
      const filters = rest.filter((a, i) => strings[i] !== undefined || words[i] === undefined);
      if (words[0] === 'FILE' || words[0] === 'DIR') {
        if (flags.length + filters.length !== rest.length) return undefined;
        const name = `@export_${global ? 'global_' : ''}${words[0] === 'FILE' ? 'file' : 'dir'}`;
        return { annotation: filters.length ? `${name}(${filters.map((a) => this.src(a)).join(', ')})` : name, type };
      }
      if (words[0] === 'MULTILINE' && rest.length === 1) return { annotation: '@export_multiline', type };
      if (strings.every((s) => s !== undefined)) return { annotation: `@export_enum(${list(0)})`, type };
      return undefined;
    }
    if (type === 'int' || type === 'float') {
      if (words[0] === 'FLAGS' && type === 'int') return { annotation: withArgs('@export_flags', 1), type };
      if (words[0] === 'EASE' && rest.length === 1) return { annotation: '@export_exp_easing', type };
      if (type === 'int' && strings.every((s) => s !== undefined)) return { annotation: `@export_enum(${list(0)})`, type };
      const numeric = (a: ast.Expr) => (a.kind === 'Literal' && (a.literalKind === 'int' || a.literalKind === 'float')) || (a.kind === 'Unary' && a.operator === '-' && a.operand.kind === 'Literal');
      if (words[0] === 'EXP' && rest.slice(1).every(numeric) && rest.length >= 3) return { annotation: `@export_range(${list(1)}, "exp")`, type };
      if (rest.every(numeric) && rest.length >= 2 && rest.length <= 3) return { annotation: `@export_range(${list(0)})`, type };
      return undefined;
    }
    if (type === 'Color' && words[0] === 'RGB' && rest.length === 1) return { annotation: '@export_color_no_alpha', type };
    return undefined;
  }

  /** `var x = 1 setget set_x, get_x` → `var x = 1: set = set_x, get = get_x`. */
  private setget(construct: Extract<ast.Godot3Syntax, { kind: 'setget' }>): void {
    const accessors = [construct.setter && `set = ${construct.setter}`, construct.getter && `get = ${construct.getter}`].filter(Boolean).join(', ');
    if (!accessors) {
      this.report(construct.range, 'Godot 3\'s "setget" without a setter or a getter does nothing: remove it.', {
        title: 'Remove "setget"',
        edits: [{ range: this.text.withSpaceBefore(construct.range), newText: '' }],
      });
      return;
    }
    const replacement = `: ${accessors}`;
    this.report(
      construct.range,
      `Godot 3's "${this.src(construct.range)}" is "var …${replacement}" in Godot 4. Note: Godot 4 also calls the setter and getter inside the class (Godot 3 only did for self.x), except inside the setter and getter themselves.`,
      { title: replaceTitle(this.src(construct.range), replacement), edits: [{ range: this.text.withSpaceBefore(construct.range), newText: replacement }] },
    );
  }

  /** `yield(obj, "sig")` → `await obj.sig`; `yield(f(), "completed")` → `await f()`; `yield()` has no equivalent. */
  private yieldCall(construct: Extract<ast.Godot3Syntax, { kind: 'yield' }>): void {
    const [object, signalArg] = construct.args;
    const signal = stringLiteral(signalArg);
    const written = oneLine(this.src(construct.range));
    if (!object || signal === undefined || construct.args.length !== 2 || !IDENTIFIER.test(signal)) {
      this.report(
        construct.range,
        construct.args.length === 0
          ? 'Godot 3\'s "yield()" (paused until resume() is called) has no Godot 4 equivalent: emit a signal where resume() was called and "await" that signal here.'
          : `Godot 3's "${written}" is "await object.signal" in Godot 4, with the signal's name written as a name (not a string).`,
      );
      return;
    }
    if (signal === 'completed' && object.kind === 'Call') {
      this.replace(construct.range, `Godot 3's "${written}" waits for a coroutine: Godot 4 writes "await" before the call.`, `await ${this.src(object)}`);
      return;
    }
    const renamed = godot3Facts().signals.get(signal);
    const replacement = `await ${this.receiverText(object)}.${renamed ?? signal}`;
    this.replace(construct.range, `Godot 3's "${written}" is "${replacement}" in Godot 4${renamed ? ` (the signal ${signal} is ${renamed} in Godot 4)` : ''}.`, replacement);
  }

  // ---- the syntax tree ------------------------------------------------------------------------

  node(node: ast.Node, parent: ast.Node | undefined): boolean | void {
    if (this.handled.has(node)) return;
    switch (node.kind) {
      case 'Call':
        this.call(node);
        return;
      case 'Identifier':
        this.identifier(node, parent);
        return;
      case 'Member':
        if (!(parent?.kind === 'Call' && parent.callee === node)) this.constantMember(node);
        return;
      case 'Type':
        this.type(node);
        return;
      case 'Script':
      case 'Class': {
        const body = node.kind === 'Script' ? node : node.body;
        const rename = body.extendsName !== undefined && !body.extendsPath ? godot3Facts().classes.get(body.extendsName) : undefined;
        if (rename && body.extendsRange)
          this.replace(body.extendsRange, `Godot 3's class ${rename.godot3} is ${rename.godot4} in Godot 4. ${rename.description}`, rename.godot4);
        return;
      }
    }
  }

  private identifier(node: ast.IdentifierExpr, parent: ast.Node | undefined): void {
    if (this.variableTypes.has(node.name) || this.functions.has(node.name)) return; // the script's own name
    const cls = godot3Facts().classes.get(node.name);
    if (cls) {
      const isNew = parent?.kind === 'Member' && parent.object === node && parent.name === 'new';
      if (isNew && cls.factory) return; // explained at the .new() call
      this.replace(node.range, `Godot 3's class ${cls.godot3} is ${cls.godot4} in Godot 4. ${cls.description}`, cls.godot4);
      return;
    }
    const constant = godot3Facts().constants.get(node.name);
    if (constant) this.replace(node.range, `Godot 3's ${constant.godot3} is ${constant.godot4} in Godot 4.`, constant.godot4);
  }

  private constantMember(node: ast.MemberExpr): void {
    const constant = godot3Facts().constants.get(node.name);
    if (constant) this.replace(node.nameRange, `Godot 3's ${constant.godot3} is ${constant.godot4} in Godot 4.`, constant.godot4);
  }

  private type(node: ast.TypeNode): void {
    if (node.typeArguments.length > 0) return; // the arguments are visited on their own
    const cls = godot3Facts().classes.get(node.name);
    if (cls) this.replace(node.range, `Godot 3's type ${cls.godot3} is ${cls.godot4} in Godot 4. ${cls.description}`, cls.godot4);
  }

  private call(call: ast.CallExpr): void {
    const callee = call.callee;
    if (callee.kind === 'Identifier') return this.globalCall(call, callee);
    if (callee.kind !== 'Member') return;
    const { object, name } = callee;
    const args = call.args;
    const handled = (() => {
      if (name === 'new' && object.kind === 'Identifier') return this.newOfRemovedClass(call, object);
      if ((name === 'connect' || name === 'disconnect' || name === 'is_connected') && args.length >= 3 && stringLiteral(args[2]) !== undefined)
        return this.signalCall(call, name, object);
      if (name === 'start' && args.length >= 2 && stringLiteral(args[1]) !== undefined && this.mayBe(object, 'Thread')) return this.threadStart(call);
      if (name === 'connect_to_peer' && this.mayBe(object, 'PacketPeerDTLS')) return this.tlsClient(call, 'PacketPeerDTLS');
      if (name === 'connect_to_stream' && this.mayBe(object, 'StreamPeerTLS')) return this.tlsClient(call, 'StreamPeerTLS');
      if (name === 'accept_stream' && args.length >= 3 && this.mayBe(object, 'StreamPeerTLS')) return this.tlsServer(call, 1, this.classOf(object) !== undefined);
      if (name === 'setup' && (args.length === 2 || args.length === 3) && this.mayBe(object, 'DTLSServer')) return this.tlsServer(call, 0, this.classOf(object) !== undefined);
      if (name === 'subarray' && args.length === 2) return this.subarray(call, callee);
      return this.removedMember(call, callee) || this.methodRename(callee);
    })();
    if (handled) this.handled.add(callee);
  }

  /** `var2bytes(x)`, `funcref(o, "f")`, `rand_range(a, b)`, … → the Godot 4 function; bare `connect("sig", self, "f")`. */
  private globalCall(call: ast.CallExpr, callee: ast.IdentifierExpr): void {
    if (this.functions.has(callee.name)) return; // the script's own function
    if ((callee.name === 'connect' || callee.name === 'disconnect' || callee.name === 'is_connected') && call.args.length >= 3 && stringLiteral(call.args[2]) !== undefined) {
      this.signalCall(call, callee.name, undefined);
      this.handled.add(callee);
      return;
    }
    const rename = godot3Facts().functions.get(callee.name)?.[0];
    if (!rename) return;
    this.handled.add(callee);
    this.replace(callee.range, `Godot 3's ${rename.from}() is ${rename.to}() in Godot 4. ${rename.rename.description}`, rename.to);
  }

  /** `File.new()` → explained: Godot 4 opens files with a static factory. */
  private newOfRemovedClass(call: ast.CallExpr, object: ast.IdentifierExpr): boolean {
    const cls = godot3Facts().classes.get(object.name);
    if (!cls?.factory || this.variableTypes.has(object.name)) return false;
    this.report(call.range, `Godot 3's ${cls.godot3}.new() is gone: Godot 4 makes a ${cls.godot4} with ${cls.factory}, which opens it at once (no separate open()). ${cls.description}`);
    return true;
  }

  /** The callable for `target, "method"`: `method` on self, `obj.method`, else `Callable(obj, m)`. */
  private callableText(target: ast.Expr, method: ast.Expr): string {
    const name = stringLiteral(method);
    if (name !== undefined && IDENTIFIER.test(name)) return target.kind === 'Self' ? name : `${this.receiverText(target)}.${name}`;
    return `Callable(${this.src(target)}, ${this.src(method)})`;
  }

  /** `obj.connect("sig", target, "f", [binds], flags)` → `obj.sig.connect(target.f.bind(binds), flags)`. */
  private signalCall(call: ast.CallExpr, method: 'connect' | 'disconnect' | 'is_connected', receiver: ast.Expr | undefined): boolean {
    const [signalArg, target, methodArg, binds, flags, ...extra] = call.args;
    if (extra.length > 0 || (method !== 'connect' && call.args.length > 3)) return false;
    let callable = this.callableText(target, methodArg);
    if (binds && method === 'connect') {
      if (binds.kind === 'Array') {
        if (binds.elements.length > 0) callable = `${callable}.bind(${binds.elements.map((e) => this.src(e)).join(', ')})`;
      } else callable = `${callable}.bindv(${this.src(binds)})`;
    }
    const flagText = flags ? `, ${this.renamedConstants(flags)}` : '';
    const signal = stringLiteral(signalArg);
    const owner = receiver && receiver.kind !== 'Self' ? `${this.receiverText(receiver)}.` : '';
    const renamed = signal !== undefined ? godot3Facts().signals.get(signal) ?? signal : undefined;
    const replacement =
      renamed !== undefined && IDENTIFIER.test(renamed)
        ? `${owner}${renamed}.${method}(${callable}${flagText})`
        : `${owner}${method}(${this.src(signalArg)}, ${callable}${flagText})`;
    this.replace(
      call.range,
      `Godot 3's ${method}(signal, target, "method") is ${method}(callable) on the signal in Godot 4: "${oneLine(replacement)}".${binds && method === 'connect' ? ' Godot 3\'s binds are callable.bind(…).' : ''}`,
      replacement,
    );
    return true;
  }

  /** A flags argument with Godot 3 constant names (CONNECT_ONESHOT) renamed. */
  private renamedConstants(e: ast.Expr): string {
    let text = this.src(e);
    for (const [from, rename] of godot3Facts().constants) text = text.replace(new RegExp(`\\b${from}\\b`, 'g'), rename.godot4);
    walk(e, (n) => void this.handled.add(n));
    return text;
  }

  /** `thread.start(self, "f", data, priority)` → `thread.start(f.bind(data), priority)`. */
  private threadStart(call: ast.CallExpr): boolean {
    const [target, methodArg, userdata, priority, ...extra] = call.args;
    if (extra.length > 0) return false;
    let callable = this.callableText(target, methodArg);
    const name = stringLiteral(methodArg)!;
    const declared = target.kind === 'Self' ? this.functions.get(name) : undefined;
    const nullData = !userdata || (userdata.kind === 'Literal' && userdata.literalKind === 'null');
    // Godot 3 always passed the userdata (null by default) as the method's one argument.
    if (!nullData) callable += `.bind(${this.src(userdata)})`;
    else if (declared ? declared.params.length > 0 : userdata !== undefined) callable += '.bind(null)';
    const replacement = priority ? `${callable}, ${this.src(priority)}` : callable;
    const range = { start: call.args[0].range.start, end: call.args[call.args.length - 1].range.end };
    this.replace(
      range,
      `Godot 3's Thread.start(instance, "method", userdata) is start(callable) in Godot 4: "start(${replacement})".${declared && nullData && declared.params.length > 0 ? ' Godot 3 passed null as the userdata argument, so the callable binds null.' : ''}`,
      replacement,
    );
    return true;
  }

  /** `connect_to_peer(udp, validate, host, cert)` / `connect_to_stream(…)` → `(udp, host, TLSOptions.client(cert))`. */
  private tlsClient(call: ast.CallExpr, className: 'PacketPeerDTLS' | 'StreamPeerTLS'): boolean {
    const [peer, validate, host, cert, ...extra] = call.args;
    const validateValue = boolLiteral(validate);
    if (!peer || !validate || extra.length > 0 || (validateValue === undefined && call.args.length < 4)) return false;
    const method = className === 'PacketPeerDTLS' ? 'connect_to_peer' : 'connect_to_stream';
    const certText = cert && !(cert.kind === 'Literal' && cert.literalKind === 'null') ? this.src(cert) : '';
    const verifying = `TLSOptions.client(${certText})`;
    const options =
      validateValue === false ? 'TLSOptions.client_unsafe()' : validateValue === true ? verifying : `${verifying} if ${this.src(validate)} else TLSOptions.client_unsafe()`;
    const hostText = host ? this.src(host) : '""';
    const replacement = `${hostText}, ${options}`;
    const range = { start: validate.range.start, end: call.args[call.args.length - 1].range.end };
    const note = validateValue === false ? ' (validate_certs = false: the certificate is not checked)' : !host ? ' (Godot 3 checked the certificate against no host name)' : '';
    this.replace(
      range,
      `Godot 3's ${method}(${className === 'PacketPeerDTLS' ? 'udp' : 'stream'}, validate_certs, for_hostname, valid_certificate) is ${method}(…, hostname, client_options) in Godot 4: "${method}(${this.src(peer)}, ${replacement})"${note}.`,
      replacement,
    );
    return true;
  }

  /** `setup(key, cert, chain)` / `accept_stream(stream, key, cert, chain)` → `TLSOptions.server(key, cert)`. */
  private tlsServer(call: ast.CallExpr, first: 0 | 1, receiverKnown: boolean): boolean {
    const [key, cert, chain, ...extra] = call.args.slice(first);
    if (!key || !cert || extra.length > 0) return false;
    const method = first === 0 ? 'setup' : 'accept_stream';
    const replacement = `TLSOptions.server(${this.src(key)}, ${this.src(cert)})`;
    const range = { start: key.range.start, end: (chain ?? cert).range.end };
    const hasChain = chain !== undefined && !(chain.kind === 'Literal' && chain.literalKind === 'null');
    this.replace(
      range,
      `Godot 3's ${method}(${first ? 'stream, ' : ''}key, certificate${chain ? ', chain' : ''}) is ${method}(${first ? 'stream, ' : ''}TLSOptions.server(key, certificate)) in Godot 4.${hasChain ? ' Godot 4 has no separate chain: load the certificate and its chain into one X509Certificate (review this fix: the chain argument is dropped).' : ''}${receiverKnown ? '' : ` Review: the script does not say that this is a ${first ? 'StreamPeerTLS' : 'DTLSServer'}.`}`,
      replacement,
      !hasChain && receiverKnown,
    );
    return true;
  }

  /** `bytes.subarray(from, to)` (inclusive `to`) → `bytes.slice(from, to + 1)`. */
  private subarray(call: ast.CallExpr, callee: ast.MemberExpr): boolean {
    const [from, to] = call.args;
    const end = this.exclusiveEnd(to);
    const replacement = end === undefined ? `slice(${this.src(from)})` : `slice(${this.src(from)}, ${end})`;
    this.replace(
      { start: callee.nameRange.start, end: call.range.end },
      `Godot 3's subarray(from, to) includes "to"; Godot 4's slice(begin, end) stops before "end": "${replacement}".`,
      replacement,
    );
    return true;
  }

  /** `to + 1`, folded: `3` → `4`, `n - 1` → `n`, `-1` (the end) → undefined (slice to the end). */
  private exclusiveEnd(to: ast.Expr): string | undefined {
    const literal = intLiteral(to);
    if (literal !== undefined) return literal === -1 ? undefined : String(literal + 1);
    if (to.kind === 'Binary' && (to.operator === '-' || to.operator === '+')) {
      const step = intLiteral(to.right);
      if (step !== undefined) {
        const k = to.operator === '-' ? step - 1 : step + 1;
        const left = this.src(to.left);
        return k === 0 ? left : k > 0 ? `${left} - ${k}` : `${left} + ${-k}`;
      }
    }
    const text = this.src(to);
    return ['Binary', 'Ternary', 'Unary', 'Is', 'As', 'Await', 'Lambda'].includes(to.kind) && !(to.kind === 'Binary' && ['*', '/', '%', '**', '+', '-'].includes(to.operator))
      ? `(${text}) + 1`
      : `${text} + 1`;
  }

  /** A member the class spec lists as removed (`OS.get_ticks_msec()`, PacketPeerUDP's `listen()`): its replacement. */
  private removedMember(call: ast.CallExpr, callee: ast.MemberExpr): boolean {
    const receiverClass = this.classOf(callee.object);
    if (!receiverClass || !isEmulatedClass(receiverClass)) return false;
    const member = memberOf(receiverClass, callee.name);
    if (member?.kind !== 'removed') return false;
    const { godot3, godot4 } = member.godot3;
    const isStatic = callee.object.kind === 'Identifier' && callee.object.name === receiverClass;
    const g3 = callShape(godot3);
    const g4 = callShape(godot4);
    const argsText = call.args.map((a) => this.src(a)).join(', ');
    const message = `Godot 3's ${godot3} is ${godot4} in Godot 4. ${member.description}`;
    if (isStatic && g3?.owner === receiverClass && godot4.includes('()') && (g3.params === '' || godot4.indexOf('()') === godot4.lastIndexOf('()'))) {
      // OS.get_ticks_msec() → Time.get_ticks_msec(); OS.get_system_time_msecs() → int(Time.get_unix_time_from_system() * 1000)
      this.replace(call.range, message, godot4.replace('()', `(${argsText})`));
      return true;
    }
    if (!isStatic && g3 && g4 && !g4.owner && g3.params === g4.params) {
      this.replace(callee.nameRange, message, g4.name);
      return true;
    }
    this.report(callee.nameRange, message);
    return true;
  }

  /**
   * `s.to_utf8()` → `s.to_utf8_buffer()`, `JSON.print(v)` → `JSON.stringify(v)`, PacketPeerUDP's `listen()` →
   * `bind()` (GODOT3_RENAMES methods): a static call on the named class, an instance call on a variable of
   * that class, or, on a receiver the script does not type, a method of a Variant type (String, Array, …).
   */
  private methodRename(callee: ast.MemberExpr): boolean {
    const object = callee.object;
    const staticOwner = object.kind === 'Identifier' && !this.variableTypes.has(object.name) && /^[A-Z]/.test(object.name) ? object.name : undefined;
    const receiverClass = staticOwner ? undefined : this.classOf(object);
    const rename = godot3Facts().methods.get(callee.name)?.find((r) => {
      if (staticOwner) return r.owner === staticOwner;
      if (receiverClass && isEmulatedClass(receiverClass)) return isEmulatedClass(r.owner) && isSubclass(receiverClass, r.owner!);
      return isVariantType(r.owner);
    });
    if (!rename) return false;
    this.replace(callee.nameRange, `Godot 3's ${rename.rename.godot3} is ${rename.rename.godot4} in Godot 4. ${rename.rename.description}`, rename.to);
    return true;
  }
}

/** String, Array, PoolByteArray (PackedByteArray), FuncRef (Callable): a Variant type, by its TYPE_* constant. */
function isVariantType(name: string | undefined): boolean {
  if (!name) return false;
  const godot4 = godot3Facts().classes.get(name)?.godot4 ?? name;
  const constant = `TYPE_${godot4.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
  return memberOf('@GlobalScope', constant) !== undefined;
}

/** `Replace "onready" with "@onready"` (the old text left out when it is long). */
function replaceTitle(old: string, replacement: string): string {
  const before = oneLine(old);
  return before.length <= 60 ? `Replace "${before}" with "${oneLine(replacement)}"` : `Replace with "${oneLine(replacement)}"`;
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * The Godot 3 constructs of a document: each snippet and part of a .gd file (the whole file when it has
 * no annotations), or each ```gdscript fence of a Markdown file (annotated or not: a Godot 3 tutorial's
 * fences are worth migrating before they are annotated). `read`: the document's snippets and lines when
 * the caller has them already (they must be of this text).
 */
export function findGodot3InDocument(
  text: string, language: DocumentLanguage, read?: { snippets: SnippetDocument; lines: string[] },
): Problem[] {
  const document = read?.snippets ?? readSnippets(text, language);
  const pieces: { source: string; startLine: number }[] = [...document.snippets, ...document.snippets.flatMap((s) => s.fragments ?? [])];
  const lines = read?.lines ?? text.split(/\r?\n/);
  if (language === 'gdscript' && document.snippets.length === 0) pieces.push({ source: text, startLine: 0 });
  if (language === 'markdown') {
    const starts = new Set(pieces.map((p) => p.startLine));
    for (const fence of gdscriptFences(lines))
      if (!starts.has(fence.start)) pieces.push({ source: lines.slice(fence.start, fence.end).join('\n'), startLine: fence.start });
  }
  return pieces
    .flatMap((p) => piecesConstructs(p.source, p.startLine))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * findGodot3Constructs() of the pieces of recent documents, by line offset and source: after an edit only
 * the edited piece is looked at again. Least recently used first; bounded by count and by source size.
 */
const recentPieces = new Map<string, readonly Problem[]>();
const RECENT_PIECES = 64;
const RECENT_CHARACTERS = 1_000_000;
let recentCharacters = 0;

function piecesConstructs(source: string, startLine: number): readonly Problem[] {
  const key = `${startLine}\n${source}`;
  let problems = recentPieces.get(key);
  if (problems) recentPieces.delete(key);
  else {
    problems = findGodot3Constructs(source, { lineOffset: startLine });
    recentCharacters += key.length;
  }
  recentPieces.set(key, problems);
  for (const [oldest] of recentPieces) {
    if (recentPieces.size <= 1 || (recentPieces.size <= RECENT_PIECES && recentCharacters <= RECENT_CHARACTERS)) break;
    recentPieces.delete(oldest);
    recentCharacters -= oldest.length;
  }
  return problems;
}
