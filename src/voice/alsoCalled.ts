import type {CatalogueEntry} from "../playing/types.js";
import type {Meant} from "./whatIsMeant.js";

/**
 * A thing's other titles as choices of their own, so voice finds it by each: a stream named after
 * the card made from it ("The Gruffalo") is also "demo", the name a parent typed. Each is the same
 * thing: `familyTitled` turns a choice found by another title back into the thing itself, so what
 * is said is the family's title, and two titles of one thing are never offered to choose between.
 */
export class AlsoCalled {
  readonly #main = new WeakMap<CatalogueEntry, CatalogueEntry>();

  /**
   * Each entry, each followed by one entry per other title it answers to: one array for them all
   * (read on every request, thousands of entries), and no property deleted (`delete` leaves an
   * object slow to read in the loops over every title).
   */
  expandAll(entries: readonly CatalogueEntry[]): CatalogueEntry[] {
    const out: CatalogueEntry[] = [];
    for (const entry of entries) {
      out.push(entry);
      if (!entry.alsoCalled?.length) continue;
      const {alsoCalled, ...plain} = entry;
      for (const title of alsoCalled) {
        const other: CatalogueEntry = {...plain, title};
        this.#main.set(other, entry);
        out.push(other);
      }
    }
    return out;
  }

  /** What was meant, with every choice in it the thing itself (by its title), each once. */
  familyTitled(meant: Meant): Meant {
    const main = (c: CatalogueEntry) => this.#main.get(c) ?? c;
    if (meant.kind === "play") return {kind: "play", choice: main(meant.choice)};
    if (meant.kind === "not_found" && meant.closest) return {...meant, closest: main(meant.closest)};
    if (meant.kind !== "choose") return meant;
    const options = [...new Set(meant.options.map(main))];
    return options.length === 1 ? {kind: "play", choice: options[0] as CatalogueEntry} : {...meant, options};
  }
}
