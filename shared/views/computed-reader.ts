/**
 * Reads a view computed from its sources (shared/pure/view-delta.ts `computeView`) the way
 * counted-view.ts reads a stored one: the same groups, the same lines in the same order, and
 * cursors of the same form. A view whose build is still pending (shared/views/view-build.ts) is
 * read this way, so a person paging through a list while the build finishes moves from one
 * reader to the other without a gap or a repeat: a cursor names the group and the last line's
 * key, whichever reader handed it out.
 */
import { decodeCursor, encodeCursor, type Page } from '../pagination.ts';
import type { ComputedView, GroupLine } from '../pure/view-delta.ts';
import { decodeWalkCursor, encodeWalkCursor, linesPk, type ViewKey } from './counted-view.ts';

/** Every group with its counts (or the one asked for), as `readGroups` gives them. */
export function computedGroups(view: ComputedView, group?: string): Map<string, Record<string, number>> {
  if (group === undefined) return new Map(view.groups);
  const counts = view.groups.get(group);
  return new Map(counts ? [[group, counts]] : []);
}

const linesOfGroup = (view: ComputedView, list: string, group: string): GroupLine[] => (view.lists.get(list) ?? []).filter((l) => l.group === group);

/** Where a group's query cursor points: after that sort key (the cursor is bound to the group's partition, as a stored read's is). */
function afterKey(k: ViewKey, list: string, group: string, cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, { keyNames: ['pk', 'sk'], partition: { name: 'pk', value: linesPk(k, list, group) } })?.sk;
}

const groupCursor = (k: ViewKey, l: GroupLine) => encodeCursor({ pk: linesPk(k, l.list, l.group), sk: l.sortKey }) as string;

/** One page of a group's list, in sort-key order, as `readGroupLines` gives it. */
export function computedGroupLines(k: ViewKey, view: ComputedView, list: string, group: string, limit: number, cursor?: string): Page<GroupLine> {
  const after = afterKey(k, list, group, cursor);
  const rest = linesOfGroup(view, list, group).filter((l) => after === undefined || l.sortKey > after);
  const items = rest.slice(0, limit);
  return { items, ...(rest.length > limit ? { nextCursor: groupCursor(k, items[items.length - 1]!) } : {}) };
}

/** One page of a list over every group (groups in order), as `readLines` gives it. */
export function computedLines(k: ViewKey, view: ComputedView, list: string, limit: number, cursor?: string): Page<GroupLine> {
  const at = cursor ? decodeWalkCursor(cursor) : undefined;
  const after = at ? afterKey(k, list, at.g, at.c) : undefined;
  const rest = (view.lists.get(list) ?? []).filter((l) => !at || l.group > at.g || (l.group === at.g && (after === undefined || l.sortKey > after)));
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return { items, ...(rest.length > limit && last ? { nextCursor: encodeWalkCursor({ g: last.group, c: groupCursor(k, last) }) } : {}) };
}
