// Memoized lookups into class-data (engine/godot/class-data.ts, the one source of Godot class
// knowledge). class-data answers by walking the inheritance chain and building member lists on every
// call; the analyzer asks the same few questions thousands of times per script, and the data is frozen,
// so the answers are kept.

import { findGlobal, findGodot3, findMember, membersOf, type Godot3Note, type MemberInfo } from '../godot/class-data';

const members = new Map<string, Map<string, MemberInfo | null>>();
const globals = new Map<string, MemberInfo | null>();
const godot3 = new Map<string, Godot3Note | null>();
const lists = new Map<string, MemberInfo[]>();

/** findMember(), remembered. */
export function nativeMember(className: string, name: string): MemberInfo | undefined {
  let ofClass = members.get(className);
  if (!ofClass) {
    ofClass = new Map();
    members.set(className, ofClass);
  }
  let found = ofClass.get(name);
  if (found === undefined) {
    found = findMember(className, name) ?? null;
    ofClass.set(name, found);
  }
  return found ?? undefined;
}

/** findGlobal(), remembered. */
export function globalMember(name: string): MemberInfo | undefined {
  let found = globals.get(name);
  if (found === undefined) {
    found = findGlobal(name) ?? null;
    globals.set(name, found);
  }
  return found ?? undefined;
}

/** findGodot3(), remembered. */
export function godot3Note(name: string, className?: string): Godot3Note | undefined {
  const key = `${className ?? ''}\u0000${name}`;
  let found = godot3.get(key);
  if (found === undefined) {
    found = findGodot3(name, className) ?? null;
    godot3.set(key, found);
  }
  return found ?? undefined;
}

/** membersOf(className) with inherited members, remembered (do not modify the list). */
export function nativeMembers(className: string): readonly MemberInfo[] {
  let list = lists.get(className);
  if (!list) {
    list = membersOf(className);
    lists.set(className, list);
  }
  return list;
}
