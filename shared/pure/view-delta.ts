/**
 * Maintained read models ("views"), the pure part: what one object adds to a view, and what
 * changes when that changes. A view of a region's year is made of
 *
 * - groups (a department, later a region): counts and sums, each the total of its objects'
 *   contributions, kept by adding the difference when an object's contribution changes;
 * - lines (one per object and list, e.g. "missing" for an object without its self-evaluation),
 *   kept sorted by their sort key so that "the first N of a department" is one short query;
 * - the contribution itself, per object, so that the next change knows what to take back.
 *
 * A view never adds a figure from an event's payload: the owner recomputes an object's whole
 * contribution from its current source items and applies the difference. So a redelivered or
 * reordered event recomputes the same contribution (nothing to apply), and the read model always
 * equals the recomputation from the sources, which `rebuild-views --verify` checks.
 */

/**
 * One object's line in one list of a view (e.g. the missing list of coverage). It is listed under
 * its contribution's group unless it names another: a list that must be read across every group
 * in one short query (the region's worst deviations) names a group of its own.
 */
export interface ViewLine {
  group?: string;
  list: string;
  /** Orders the group's list; unique within it (end it with the object id). */
  sortKey: string;
  data: Record<string, string | number | boolean>;
}

/** A line with the group it is listed under. */
export interface GroupLine extends ViewLine {
  group: string;
}

/** What one object adds to a view: a group, the counts and sums it adds there, its lines. */
export interface Contribution {
  group: string;
  counts: Record<string, number>;
  lines: ViewLine[];
}

export interface ViewDelta {
  /** Per group, per count: what to add (negative to take back). Zero entries are left out. */
  groups: Map<string, Record<string, number>>;
  /** Lines to remove, by group, list and sort key. */
  removeLines: Pick<GroupLine, 'group' | 'list' | 'sortKey'>[];
  /** Lines to write (new ones, and changed ones over their old selves). */
  putLines: GroupLine[];
}

const lineId = (l: Pick<GroupLine, 'group' | 'list' | 'sortKey'>) => `${l.group}\u0000${l.list}\u0000${l.sortKey}`;
const linesOf = (c: Contribution | undefined): GroupLine[] => (c ? c.lines.map((l) => ({ ...l, group: l.group ?? c.group })) : []);

/** Every group an object's contribution touches: its counts' group and the groups its lines are listed under. */
export const groupsOf = (c: Contribution): string[] => [...new Set([c.group, ...c.lines.map((l) => l.group ?? c.group)])];

function sameData(a: ViewLine['data'], b: ViewLine['data']): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export function sameContribution(a: Contribution | undefined, b: Contribution | undefined): boolean {
  if (!a || !b) return a === b;
  const countKeys = new Set([...Object.keys(a.counts), ...Object.keys(b.counts)]);
  if (a.group !== b.group || [...countKeys].some((k) => (a.counts[k] ?? 0) !== (b.counts[k] ?? 0))) return false;
  if (a.lines.length !== b.lines.length) return false;
  const byId = new Map(linesOf(b).map((l) => [lineId(l), l]));
  return linesOf(a).every((l) => {
    const other = byId.get(lineId(l));
    return other !== undefined && sameData(l.data, other.data);
  });
}

/** What changes in the view when an object's contribution goes from `before` to `after` (either may be absent). */
export function viewDelta(before: Contribution | undefined, after: Contribution | undefined): ViewDelta {
  const groups = new Map<string, Record<string, number>>();
  const add = (group: string, counts: Record<string, number>, sign: 1 | -1) => {
    const g = groups.get(group) ?? {};
    for (const [name, value] of Object.entries(counts)) g[name] = (g[name] ?? 0) + sign * value;
    groups.set(group, g);
  };
  if (before) add(before.group, before.counts, -1);
  if (after) add(after.group, after.counts, 1);
  for (const [group, counts] of groups) {
    for (const [name, value] of Object.entries(counts)) if (value === 0) delete counts[name];
    if (Object.keys(counts).length === 0) groups.delete(group);
  }
  const afterLines = new Map(linesOf(after).map((l) => [lineId(l), l]));
  const beforeLines = new Map(linesOf(before).map((l) => [lineId(l), l]));
  return {
    groups,
    removeLines: [...beforeLines].filter(([id]) => !afterLines.has(id)).map(([, l]) => ({ group: l.group, list: l.list, sortKey: l.sortKey })),
    putLines: [...afterLines].filter(([id, l]) => {
      const old = beforeLines.get(id);
      return !old || !sameData(old.data, l.data);
    }).map(([, l]) => l),
  };
}

/** A whole view computed from every object's contribution: what the maintained one must equal. */
export interface ComputedView {
  groups: Map<string, Record<string, number>>;
  /** Per list, its lines in group then sort-key order. */
  lists: Map<string, GroupLine[]>;
}

const byGroupAndKey = (a: GroupLine, b: GroupLine) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0);

export function computeView(contributions: Iterable<Contribution>): ComputedView {
  const groups = new Map<string, Record<string, number>>();
  const lists = new Map<string, GroupLine[]>();
  for (const c of contributions) {
    const g = groups.get(c.group) ?? {};
    for (const [name, value] of Object.entries(c.counts)) g[name] = (g[name] ?? 0) + value;
    groups.set(c.group, g);
    for (const line of linesOf(c)) lists.set(line.list, [...(lists.get(line.list) ?? []), line]);
  }
  for (const lines of lists.values()) lines.sort(byGroupAndKey);
  return { groups, lists };
}

/** Differences between a maintained view and the computed one, each a sentence naming the group, count or line. */
export function viewDifferences(maintained: ComputedView, computed: ComputedView): string[] {
  const out: string[] = [];
  const groupNames = new Set([...maintained.groups.keys(), ...computed.groups.keys()]);
  for (const group of [...groupNames].sort()) {
    const m = maintained.groups.get(group) ?? {};
    const c = computed.groups.get(group) ?? {};
    for (const name of [...new Set([...Object.keys(m), ...Object.keys(c)])].sort()) {
      if ((m[name] ?? 0) !== (c[name] ?? 0)) out.push(`group ${group}: ${name} is ${m[name] ?? 0}, the sources give ${c[name] ?? 0}`);
    }
  }
  const listNames = new Set([...maintained.lists.keys(), ...computed.lists.keys()]);
  for (const list of [...listNames].sort()) {
    const where = (l: GroupLine) => `${l.group}: ${l.sortKey}`;
    const m = new Map((maintained.lists.get(list) ?? []).map((l) => [where(l), l]));
    const c = new Map((computed.lists.get(list) ?? []).map((l) => [where(l), l]));
    for (const key of [...new Set([...m.keys(), ...c.keys()])].sort()) {
      const ml = m.get(key);
      const cl = c.get(key);
      if (!cl) out.push(`list ${list}: line ${key} is kept, the sources have none`);
      else if (!ml) out.push(`list ${list}: line ${key} is missing`);
      else if (!sameData(ml.data, cl.data)) out.push(`list ${list}: line ${key} differs from the sources`);
    }
  }
  return out;
}
