import type {Card} from "./rest.js";

type Json = Record<string, unknown>;

/**
 * What a card becomes when we write `changes` over what Yoto holds now. Yoto's POST /content
 * replaces the whole card, so anything we leave out is lost: icons picked in Yoto's app, covers,
 * track events. Ours wins for what we set; theirs stays for the rest. Chapters and tracks are
 * matched by key, and an icon we leave empty (null) keeps the one already there.
 */
export function mergeCard(current: Card, changes: Partial<Card>): Card {
  const content = (current.content ?? {}) as Json;
  const next = (changes.content ?? {}) as Json;
  const merged: Json = {...content, ...next};
  for (const block of ["config", "editSettings"])
    if (isMap(content[block]) || isMap(next[block])) merged[block] = {...asMap(content[block]), ...asMap(next[block])};
  if (Array.isArray(next.chapters))
    merged.chapters = mergeByKey(asList(content.chapters), next.chapters as Json[], true);
  return {
    ...current,
    ...changes,
    cardId: current.cardId,
    content: merged,
    metadata: {...asMap(current.metadata), ...asMap(changes.metadata)},
  } as Card;
}

function mergeByKey(old: Json[], ours: Json[], chapters: boolean): Json[] {
  const byKey = new Map(old.map((o) => [o.key, o]));
  return ours.map((node) => {
    const before = byKey.get(node.key);
    if (!before) return node;
    const result: Json = {...before, ...node};
    const icon = asMap(node.display).icon16x16;
    if (icon === null || icon === undefined) result.display = before.display ?? node.display;
    if (node.events === undefined && before.events !== undefined) result.events = before.events;
    if (chapters && Array.isArray(node.tracks))
      result.tracks = mergeByKey(asList(before.tracks), node.tracks as Json[], false);
    return result;
  });
}

function isMap(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asMap(value: unknown): Json {
  return isMap(value) ? value : {};
}

function asList(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}
