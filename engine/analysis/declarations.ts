// The script's classes and their members (the symbol table of class level), before any body is checked:
// the main script, inner classes (with `extends` resolved to a Godot class or another inner class),
// variables, constants, functions, signals and enums.

import type * as ast from '../gdscript/ast';
import { findClass } from '../godot/class-data';
import { printScript } from '../gdscript/printer';
import type { ScriptClass, ScriptSymbol } from './symbols';
import { INT, VARIANT, builtin, type GdType } from './types';

/** A member variable or constant whose type comes from its initializer, inferred when first needed. */
export interface PendingInitializer {
  symbol: ScriptSymbol;
  initializer: ast.Expr;
  cls: ScriptClass;
  /** `:=` (the inferred type is the declared one) rather than an untyped `=`. */
  strict: boolean;
}

export interface DeclaredClasses {
  root: ScriptClass;
  pending: Map<ScriptSymbol, PendingInitializer>;
  /** Declared type annotations still to resolve once every class is known. */
  typeNodes: Map<ScriptSymbol, ast.TypeNode>;
}

export function declareClasses(script: ast.ScriptNode): DeclaredClasses {
  const pending = new Map<ScriptSymbol, PendingInitializer>();
  const typeNodes = new Map<ScriptSymbol, ast.TypeNode>();
  const root = declareClass(script, script.className ?? 'self', script.range, undefined, pending, typeNodes);
  resolveBases(root);
  return { root, pending, typeNodes };
}

function declareClass(
  body: ast.ClassBody,
  name: string,
  range: ast.ScriptNode['range'],
  outer: ScriptClass | undefined,
  pending: Map<ScriptSymbol, PendingInitializer>,
  typeNodes: Map<ScriptSymbol, ast.TypeNode>,
): ScriptClass {
  const cls: ScriptClass = { name, body, range, members: new Map(), nativeBase: 'RefCounted', outer, inner: [] };
  const add = (symbol: ScriptSymbol) => {
    if (!cls.members.has(symbol.name)) cls.members.set(symbol.name, symbol);
  };
  for (const m of body.members) {
    switch (m.kind) {
      case 'Var': {
        const symbol: ScriptSymbol = {
          name: m.name, kind: 'variable', range: m.range, nameRange: m.nameRange, type: VARIANT, declaration: '', doc: m.doc,
          uses: 0, owner: cls, isStatic: m.isStatic, untyped: !m.type && !m.inferType,
        };
        if (m.type) typeNodes.set(symbol, m.type);
        else if (m.initializer) pending.set(symbol, { symbol, initializer: m.initializer, cls, strict: m.inferType });
        add(symbol);
        break;
      }
      case 'Const': {
        const symbol: ScriptSymbol = {
          name: m.name, kind: 'constant', range: m.range, nameRange: m.nameRange, type: VARIANT, declaration: '', doc: m.doc,
          uses: 0, owner: cls, isStatic: true, value: literalValue(m.initializer),
        };
        if (m.type) typeNodes.set(symbol, m.type);
        else pending.set(symbol, { symbol, initializer: m.initializer, cls, strict: true });
        add(symbol);
        break;
      }
      case 'Function': {
        const symbol: ScriptSymbol = {
          name: m.name, kind: 'function', range: m.range, nameRange: m.nameRange, type: VARIANT,
          declaration: functionDeclaration(m, m.returnType ? typeNodeText(m.returnType) : undefined), doc: m.doc,
          uses: 0, owner: cls, fn: m, isStatic: m.isStatic, untyped: !m.returnType,
        };
        if (m.returnType) typeNodes.set(symbol, m.returnType);
        add(symbol);
        break;
      }
      case 'Signal':
        add({
          name: m.name, kind: 'signal', range: m.range, nameRange: m.nameRange ?? m.range, type: builtin('Signal'),
          declaration: `signal ${m.name}${m.hasParens || m.params.length ? `(${m.params.map(paramText).join(', ')})` : ''}`,
          doc: m.doc, uses: 0, owner: cls,
        });
        break;
      case 'Enum': {
        let next = 0;
        const values: string[] = [];
        for (const v of m.values) {
          const explicit = v.value ? literalValue(v.value) : undefined;
          const value = typeof explicit === 'number' ? explicit : next;
          next = value + 1;
          values.push(`${v.name} = ${value}`);
          if (m.name === undefined)
            add({ name: v.name, kind: 'enum-value', range: v.range, nameRange: v.range, type: INT, declaration: `const ${v.name} = ${value}`, uses: 0, owner: cls, value, isStatic: true });
        }
        if (m.name !== undefined) {
          add({
            name: m.name, kind: 'enum', range: m.range, nameRange: enumNameRange(m), declaration: `enum ${m.name} { ${values.join(', ')} }`,
            type: { kind: 'enum-ref', owner: name, name: m.name, values: m.values.map((v) => v.name) }, doc: m.doc, uses: 0, owner: cls,
          });
        }
        break;
      }
      case 'Class': {
        const inner = declareClass(m.body, m.name, m.range, cls, pending, typeNodes);
        cls.inner.push(inner);
        add({
          name: m.name, kind: 'class', range: m.range, nameRange: m.nameRange ?? m.range, type: { kind: 'script-class-ref', cls: inner },
          declaration: `class ${m.name}${m.body.extendsName ? ` extends ${m.body.extendsName}` : ''}`, doc: m.doc, uses: 0, owner: cls, cls: inner,
        });
        break;
      }
    }
  }
  return cls;
}

/** `extends X`: an inner class visible from here, or a Godot class; anything else leaves the base unknown. */
function resolveBases(cls: ScriptClass): void {
  const ext = cls.body.extendsName;
  if (ext !== undefined && !cls.body.extendsPath) {
    const inner = findVisibleClass(cls.outer ?? cls, ext);
    if (inner && inner !== cls) cls.scriptBase = inner;
    else if (findClass(ext)) cls.nativeBase = ext;
    else cls.unknownBase = ext;
  } else if (cls.body.extendsPath) cls.unknownBase = cls.body.extendsName;
  for (const inner of cls.inner) resolveBases(inner);
  if (cls.scriptBase) {
    // Bases resolve in declaration order; follow the chain for the native root.
    const seen = new Set<ScriptClass>();
    let base: ScriptClass | undefined = cls.scriptBase;
    while (base?.scriptBase && !seen.has(base)) {
      seen.add(base);
      base = base.scriptBase;
    }
    if (base) {
      cls.nativeBase = base.body.extendsName && findClass(base.body.extendsName) ? base.body.extendsName : base.nativeBase;
      if (base.unknownBase) cls.unknownBase = base.unknownBase;
    }
  }
}

/** An inner class by (dotted) name, looked up from `from` outwards. */
export function findVisibleClass(from: ScriptClass, name: string): ScriptClass | undefined {
  const [first, ...rest] = name.split('.');
  for (let c: ScriptClass | undefined = from; c; c = c.outer) {
    let found = c.inner.find((i) => i.name === first);
    for (const part of rest) found = found?.inner.find((i) => i.name === part);
    if (found) return found;
  }
  return undefined;
}

function enumNameRange(m: ast.EnumDecl): ast.EnumDecl['range'] {
  // `enum Name {`: the name follows the keyword on the declaration's first line.
  const start = { line: m.range.start.line, character: m.range.start.character + 5 };
  return { start, end: { line: start.line, character: start.character + (m.name?.length ?? 0) } };
}

export function literalValue(e: ast.Expr): number | string | boolean | undefined {
  if (e.kind === 'Literal') {
    if (typeof e.value === 'number' || typeof e.value === 'string' || typeof e.value === 'boolean') return e.value;
    return undefined;
  }
  if (e.kind === 'Unary' && e.operator === '-' && e.operand.kind === 'Literal' && typeof e.operand.value === 'number') return -e.operand.value;
  return undefined;
}

export function paramText(p: ast.Parameter): string {
  const type = p.type ? `: ${typeNodeText(p.type)}` : p.inferType ? ' :' : '';
  return `${p.name}${type}${p.defaultValue ? `${p.inferType ? '= ' : ' = '}${exprText(p.defaultValue)}` : ''}`;
}

export function typeNodeText(t: ast.TypeNode): string {
  return t.typeArguments.length ? `${t.name}[${t.typeArguments.map(typeNodeText).join(', ')}]` : t.name;
}

/** An expression as GDScript (through the printer), for declarations shown in hovers. */
export function exprText(e: ast.Expr): string {
  const printed = printScript({
    kind: 'Script', range: e.range, extendsName: undefined, extendsRange: undefined, className: undefined, annotations: [],
    members: [{ kind: 'Const', name: 'x', nameRange: e.range, type: undefined, initializer: e, range: e.range }],
  });
  const line = printed.split('\n').find((l) => l.startsWith('const x = '));
  return line ? line.slice('const x = '.length) : '…';
}

export function functionDeclaration(f: ast.FunctionDecl, returns: string | undefined): string {
  return `${f.isStatic ? 'static ' : ''}func ${f.name}(${f.params.map(paramText).join(', ')})${returns ? ` -> ${returns}` : ''}`;
}

export type { GdType };
