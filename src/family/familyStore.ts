import {randomUUID} from "node:crypto";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {childKey} from "./childNames.js";
import type {ChildPlan, FamilyJournalEntry} from "./types.js";
import type {ChildDay} from "./verdict.js";

/** A child as saved: the name as the parent wrote it, the plan with players as ids. */
export interface ChildRecord {
  /**
   * Made when the child is added and never reused: what a device link belongs to, so a child
   * removed and added again under the same name is a new child, whom no old link opens.
   */
  id: string;
  name: string;
  plan: ChildPlan;
}

/** Quiet the plan started on a player, so the plan (and only the plan) ends it. */
export interface PlanQuiet {
  child: string;
  reason: "bedtime" | "budget";
  until: number;
  /** Quiet hours took it (saved): from then on a missing period means someone ended it by hand. */
  started?: boolean;
}

const key = childKey;

/**
 * The family plan's data in the state database: children, each child's day (bonuses, requests,
 * shared listening), who listens on each shared player, the quiet the plan started, and the
 * journal by date. Memory mirrors it for the minute-by-minute evaluation; every change is written
 * (and committed) before the caller is answered.
 */
export class FamilyStore {
  readonly children = new Map<string, ChildRecord>();
  readonly days = new Map<string, ChildDay>();
  readonly listeners = new Map<string, string>();
  readonly quiet = new Map<string, PlanQuiet>();
  readonly journal = new Map<string, FamilyJournalEntry[]>();
  #ns?: {
    children: StoreNamespace<ChildRecord>;
    days: StoreNamespace<ChildDay>;
    listeners: StoreNamespace<string>;
    quiet: StoreNamespace<PlanQuiet>;
    journal: StoreNamespace<FamilyJournalEntry[]>;
  };

  constructor(readonly store: StateStore) {}

  async load(keepJournalFrom: string): Promise<void> {
    const s = this.store;
    this.#ns = {
      children: s.namespace<ChildRecord>("family_children"),
      days: s.namespace<ChildDay>("family_days"),
      listeners: s.namespace<string>("family_listeners"),
      quiet: s.namespace<PlanQuiet>("family_quiet"),
      journal: s.namespace<FamilyJournalEntry[]>("family_journal"),
    };
    this.children.clear();
    this.days.clear();
    this.listeners.clear();
    this.quiet.clear();
    this.journal.clear();
    // Rows saved before names were normalised (another Unicode form, two spaces) move to the key
    // they are found by now, so changing or deleting such a child reaches its row.
    for (const [k, saved] of await s.entries<ChildRecord>("family_children")) {
      // A row that is no child (written by hand, cut short) is left where it is, not a failed plan.
      if (typeof saved !== "object" || saved === null || typeof saved.name !== "string") continue;
      // Saved before children had ids: the child gets one now, once.
      const child = typeof saved.id === "string" && saved.id ? saved : {...saved, id: randomUUID()};
      if (child !== saved) await this.#ns.children.set(k, child);
      await this.#rekey(this.#ns.children, k, key(child.name), child);
      this.children.set(key(child.name), child);
    }
    for (const [k, day] of await s.entries<ChildDay>("family_days")) {
      await this.#rekey(this.#ns.days, k, key(k), day);
      this.days.set(key(k), day);
    }
    for (const [k, child] of await s.entries<string>("family_listeners")) this.listeners.set(k, child);
    for (const [k, quiet] of await s.entries<PlanQuiet>("family_quiet")) this.quiet.set(k, quiet);
    for (const [date, entries] of await s.entries<FamilyJournalEntry[]>("family_journal")) {
      if (date < keepJournalFrom) await this.#space().journal.delete(date);
      else this.journal.set(date, entries);
    }
  }

  child(name: string): ChildRecord | undefined {
    return this.children.get(key(name));
  }

  async putChild(record: ChildRecord): Promise<void> {
    await this.#space().children.set(key(record.name), record);
    this.children.set(key(record.name), record);
  }

  async deleteChild(name: string): Promise<void> {
    const k = key(name);
    await this.#space().children.delete(k);
    await this.#space().days.delete(k);
    this.children.delete(k);
    this.days.delete(k);
  }

  async putDay(child: string, day: ChildDay): Promise<void> {
    await this.#space().days.set(key(child), day);
    this.days.set(key(child), day);
  }

  day(child: string): ChildDay | undefined {
    return this.days.get(key(child));
  }

  async setListener(playerId: string, child: string | undefined): Promise<void> {
    if (child === undefined) {
      await this.#space().listeners.delete(playerId);
      this.listeners.delete(playerId);
    } else {
      await this.#space().listeners.set(playerId, child);
      this.listeners.set(playerId, child);
    }
  }

  async setQuiet(playerId: string, quiet: PlanQuiet | undefined): Promise<void> {
    if (quiet === undefined) {
      await this.#space().quiet.delete(playerId);
      this.quiet.delete(playerId);
    } else {
      await this.#space().quiet.set(playerId, quiet);
      this.quiet.set(playerId, quiet);
    }
  }

  async addJournal(date: string, entry: FamilyJournalEntry): Promise<void> {
    const entries = [...(this.journal.get(date) ?? []), entry];
    await this.#space().journal.set(date, entries);
    this.journal.set(date, entries);
  }

  async #rekey<T>(space: StoreNamespace<T>, from: string, to: string, value: T): Promise<void> {
    if (from === to) return;
    await space.set(to, value);
    await space.delete(from);
  }

  #space() {
    if (!this.#ns) throw new Error("the family plan is not running");
    return this.#ns;
  }
}
