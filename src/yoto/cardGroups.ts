import {closestName} from "../core/closest.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

/** A family library group ("Bedtime"): the cards a family put together in the Yoto app. */
export interface CardGroup {
  id: string;
  name: string;
  /** In the group's order. */
  cardIds: string[];
}

export type GroupPick = "random" | "first";

/** A picker's options: each group's name, with its id after it where two groups share a name. */
export function groupOptions(groups: readonly CardGroup[]): string[] {
  const count = new Map<string, number>();
  for (const g of groups) count.set(g.name.toLowerCase(), (count.get(g.name.toLowerCase()) ?? 0) + 1);
  return groups.map((g) => ((count.get(g.name.toLowerCase()) ?? 0) > 1 ? `${g.name} (${g.id})` : g.name));
}

/**
 * `GET /card/family/library/groups` (reference §2.3, §10.17): a bare array in one client, `{groups:
 * […]}` in another, so both are read. A group without an id, a name or an items list is left out,
 * and said once per read: one odd group must not hide the others.
 */
export function parseCardGroups(body: unknown): {groups: CardGroup[]; skipped: string[]} {
  const list = Array.isArray(body) ? body : (body as {groups?: unknown} | null)?.groups;
  if (!Array.isArray(list))
    throw new AppError("bad_groups", "Yoto's answer for the card groups holds no list of groups");
  const groups: CardGroup[] = [];
  const skipped: string[] = [];
  list.forEach((raw, index) => {
    const g = (typeof raw === "object" && raw !== null ? raw : {}) as {id?: unknown; name?: unknown; items?: unknown};
    const name = typeof g.name === "string" ? g.name.trim() : "";
    if (typeof g.id !== "string" || g.id === "" || name === "" || !Array.isArray(g.items)) {
      skipped.push(
        `group ${index + 1}${name ? ` '${name}'` : ""} has no ${typeof g.id !== "string" || g.id === "" ? "id" : name === "" ? "name" : "items list"}`,
      );
      return;
    }
    const cardIds = g.items
      .map((item) => (item as {contentId?: unknown} | null)?.contentId)
      .filter((id): id is string => typeof id === "string" && id !== "");
    groups.push({id: g.id, name, cardIds});
  });
  return {groups, skipped};
}

/**
 * The card to play from a group. `random` never picks the card that played last on that player
 * when the group has another; `first` is the group's first card.
 */
export function pickFromGroup(group: CardGroup, pick: GroupPick, lastCardId?: string, random = Math.random): string {
  const cards = group.cardIds;
  if (cards.length === 0)
    throw new AppError("empty_group", `The group '${group.name}' has no cards: add some in the Yoto app`, {
      status: 409,
    });
  if (pick === "first") return cards[0] as string;
  const others = cards.length > 1 ? cards.filter((id) => id !== lastCardId) : cards;
  const from = others.length > 0 ? others : cards;
  return from[Math.floor(random() * from.length)] as string;
}

export interface CardGroupsOptions {
  read(): Promise<unknown>;
  log: Logger;
  maxAgeMs?: number;
}

/** The family's groups, read briefly cached, found by name as people type them. */
export class CardGroups {
  readonly #opts: CardGroupsOptions;
  #cached?: {groups: CardGroup[]; at: number};

  constructor(opts: CardGroupsOptions) {
    this.#opts = opts;
  }

  /** Every group; `fresh` reads again unless a read is only seconds old. */
  async list(fresh = false): Promise<CardGroup[]> {
    const maxAge = this.#opts.maxAgeMs ?? 30_000;
    const cached = this.#cached;
    if (cached && Date.now() - cached.at < (fresh ? Math.min(maxAge, 2000) : maxAge)) return cached.groups;
    let body: unknown;
    try {
      body = await this.#opts.read();
    } catch (err) {
      throw new AppError(
        "groups_unreadable",
        `The family's card groups could not be read from Yoto (${errorMessage(err)})`,
        {
          status: 502,
          expose: true,
        },
      );
    }
    const {groups, skipped} = parseCardGroups(body);
    if (skipped.length)
      this.#opts.log.warning(`Left out ${skipped.length} card group(s) Yoto sent: ${skipped.join("; ")}`);
    this.#cached = {groups, at: Date.now()};
    return groups;
  }

  /** The last list read, without reading (for the pickers); empty before the first read. */
  get known(): CardGroup[] {
    return this.#cached?.groups ?? [];
  }

  /** A group by its name (ignoring case) or id; an unknown one is refused with the closest names. */
  async find(nameOrId: string): Promise<CardGroup> {
    const wanted = nameOrId.trim();
    // A picker's "Name (id)" for two groups of one name names the one with that id.
    const option = /^(.*) \(([^()]+)\)$/.exec(wanted);
    const match = (groups: CardGroup[]) =>
      groups.find((g) => g.id === wanted) ??
      (option ? groups.find((g) => g.id === option[2] && g.name === option[1]) : undefined) ??
      groups.find((g) => g.name.toLowerCase() === wanted.toLowerCase());
    let groups = await this.list();
    let found = match(groups);
    if (!found) {
      groups = await this.list(true);
      found = match(groups);
    }
    if (found) return found;
    const close = closestName(
      wanted,
      groups.map((g) => g.name),
    );
    const names = groups.map((g) => `'${g.name}'`).join(", ");
    throw new AppError(
      "unknown_group",
      close
        ? `No card group called '${wanted.slice(0, 80)}': did you mean '${close}'?`
        : `No card group called '${wanted.slice(0, 80)}': ${groups.length ? `the family's groups are ${names}` : "the family has no groups yet (make them in the Yoto app)"}`,
      {status: 404},
    );
  }
}
