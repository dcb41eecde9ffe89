// Visits every node of a syntax tree, parents before children, in source order. For analyses that
// look at the whole script (Godot 3 migrations, lints); `visit` returning false skips a node's children.

import type * as ast from './ast';

export type Visitor = (node: ast.Node, parent: ast.Node | undefined) => boolean | void;

export function walk(node: ast.Node, visit: Visitor, parent?: ast.Node): void {
  if (visit(node, parent) === false) return;
  for (const child of childrenOf(node)) walk(child, visit, node);
}

function statementsOf(list: readonly ast.Statement[] | undefined): ast.Node[] {
  return list ? [...list] : [];
}

function accessorChildren(accessor: ast.Accessor | undefined): ast.Node[] {
  if (!accessor || accessor.kind !== 'InlineAccessor') return [];
  return [...(accessor.parameter ? [accessor.parameter] : []), ...accessor.body];
}

function patternChildren(pattern: ast.Pattern): ast.Node[] {
  switch (pattern.kind) {
    case 'ExpressionPattern':
      return [pattern.expression];
    case 'ArrayPattern':
      return pattern.elements.flatMap(patternChildren);
    case 'DictionaryPattern':
      return pattern.entries.flatMap((e) => [e.key, ...(e.value ? patternChildren(e.value) : [])]);
    default:
      return [];
  }
}

const defined = <T>(list: (T | undefined)[]): T[] => list.filter((x): x is T => x !== undefined);

/** The direct children of a node, in source order. */
export function childrenOf(node: ast.Node): ast.Node[] {
  switch (node.kind) {
    case 'Script':
      return [...node.annotations, ...node.members];
    case 'Class':
      return [...node.body.annotations, ...node.body.members];
    case 'Function':
      return [...node.annotations, ...node.params, ...defined([node.returnType]), ...node.body];
    case 'Signal':
      return [...(node.annotations ?? []), ...node.params];
    case 'Enum':
      return defined(node.values.map((v) => v.value));
    case 'Var':
      return [...node.annotations, ...defined([node.type, node.initializer]), ...accessorChildren(node.setter), ...accessorChildren(node.getter)];
    case 'Const':
      return [...defined([node.type]), node.initializer];
    case 'Parameter':
      return defined([node.type, node.defaultValue]);
    case 'Annotation':
      return node.args;
    case 'Type':
      return node.typeArguments;
    case 'Assign':
      return [node.target, node.value];
    case 'Expression':
      return [node.expression];
    case 'If':
      return [...node.branches.flatMap((b) => [b.condition, ...b.body]), ...statementsOf(node.elseBody)];
    case 'While':
      return [node.condition, ...node.body];
    case 'For':
      return [...defined([node.variableType]), node.iterable, ...node.body];
    case 'Return':
      return defined([node.value]);
    case 'Assert':
      return defined([node.condition, node.message]);
    case 'Match':
      return [node.subject, ...node.branches.flatMap((b) => [...b.patterns.flatMap(patternChildren), ...defined([b.guard]), ...b.body])];
    case 'Member':
      return [node.object];
    case 'Call':
      return [node.callee, ...node.args];
    case 'Subscript':
      return [node.object, node.index];
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'Ternary':
      return [node.whenTrue, node.condition, node.whenFalse];
    case 'Array':
      return node.elements;
    case 'Dictionary':
      return node.entries.flatMap((e) => [e.key, e.value]);
    case 'Is':
    case 'As':
      return [node.value, node.type];
    case 'Await':
      return [node.value];
    case 'Preload':
      return [node.path];
    case 'Lambda':
      return [...node.params, ...defined([node.returnType]), ...node.body];
    default:
      // Literal, Identifier, Self, Super, GetNode, Break, Continue, Pass, Breakpoint: no children.
      return [];
  }
}
