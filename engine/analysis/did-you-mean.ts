// "Did you mean …?" suggestions: the closest name by edit distance (case-insensitive, swaps count one edit).

/**
 * Edit distance between two strings, case-insensitive: insertions, deletions, substitutions and swaps of
 * two neighbouring characters (`lable` → `label` is 1) each count 1 (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[t.length];
}

/**
 * The candidate closest to `name`, when it is close enough to be a likely typo: at most a third of the
 * name's length in edits (at least one), or only a difference of case for names shorter than 3.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = name.length < 3 ? 0 : Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>, format: (s: string) => string = (s) => `"${s}"`): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` Did you mean ${format(best)}?`;
}
