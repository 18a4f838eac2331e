import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {QuietHours} from "../parents/quietHours.js";
import type {PlayerCommand} from "../yoto/commands.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {ChildRecord, FamilyStore} from "./familyStore.js";
import type {Nights} from "./nights.js";
import type {FamilyJournalEntry, FamilyStep} from "./types.js";
import {type ChildDay, freshDay, judge, type Verdict} from "./verdict.js";

export interface FamilyPlayers {
  list(): PlayerState[];
  get(idOrName: string): PlayerState;
  command(idOrName: string, command: PlayerCommand): Promise<unknown>;
  /** A card's own title (a request names the card, not its chapter); undefined when unknown. */
  cardSummary?(cardId: string): Promise<{title?: string} | undefined>;
}

/**
 * What the family plan's parts share: the data, the clock, the zone's nights, and the few things
 * every part does (read a child's day, judge it, write the journal, say something changed).
 */
/** What the plan's parts are built from (one object: the parts name what they read). */
export interface PlanContextParts {
  data: FamilyStore;
  nights: Nights;
  players: FamilyPlayers;
  quietHours: Pick<QuietHours, "begin" | "end" | "period">;
  listening: {todaySeconds(playerId: string): number};
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** Emit a step and wait for the rules it starts (the plan's generated rules carry it out). */
  runStep: (step: FamilyStep) => Promise<void>;
}

export class PlanContext {
  readonly data: FamilyStore;
  readonly nights: Nights;
  readonly players: FamilyPlayers;
  readonly quietHours: PlanContextParts["quietHours"];
  readonly listening: PlanContextParts["listening"];
  readonly bus: EventBus;
  readonly log: Logger;
  readonly now: () => number;
  readonly runStep: PlanContextParts["runStep"];

  constructor(parts: PlanContextParts) {
    ({data: this.data, nights: this.nights, players: this.players, quietHours: this.quietHours} = parts);
    ({listening: this.listening, bus: this.bus, log: this.log, now: this.now, runStep: this.runStep} = parts);
  }

  /** The child's day for `now`'s date (a new date starts from nothing, keeping a running bonus). */
  dayOf(child: ChildRecord, now: number): ChildDay {
    const date = this.nights.days.dateOf(now);
    const day = this.data.day(child.name);
    return day && day.date === date ? day : freshDay(date, day);
  }

  /**
   * The same, as a copy to change and then `saveDay`: memory takes the change only once the
   * database has it, so a refused write (a full disk) leaves no bonus granted that was answered
   * with an error.
   */
  dayToChange(child: ChildRecord, now: number): ChildDay {
    return structuredClone(this.dayOf(child, now));
  }

  /** Seconds the child listened today: their own players' totals and their share of shared ones. */
  usedSeconds(child: ChildRecord, day: ChildDay): number {
    let seconds = day.sharedSeconds;
    for (const id of child.plan.players) {
      try {
        seconds += this.listening.todaySeconds(id);
      } catch {
        // A player the history has never seen has listened to nothing.
      }
    }
    return seconds;
  }

  verdict(child: ChildRecord, now: number): Verdict {
    const day = this.dayOf(child, now);
    return judge(child.plan, day, this.usedSeconds(child, day), now, this.nights);
  }

  /** Which child a player is for now: its own child, or for a shared player who is listening. */
  childOfPlayer(playerId: string): ChildRecord | undefined {
    const listener = this.data.listeners.get(playerId);
    if (listener !== undefined) {
      const child = this.data.child(listener);
      if (child) return child;
    }
    for (const child of this.data.children.values())
      if (child.plan.players.includes(playerId) || child.plan.shared_players?.includes(playerId)) return child;
    return undefined;
  }

  /** The players a child's plan acts on now: their own, and the shared ones they are listening on. */
  playersOf(child: ChildRecord): string[] {
    const shared = (child.plan.shared_players ?? []).filter((id) => this.childOfPlayer(id) === child);
    const borrowed = [...this.data.listeners.entries()]
      .filter(([id, who]) => who.toLowerCase() === child.name.toLowerCase() && !child.plan.shared_players?.includes(id))
      .map(([id]) => id);
    return [...child.plan.players, ...shared, ...borrowed];
  }

  /**
   * Whether the plan holds a player quiet now: it started quiet there, and that quiet is still in
   * force. A parent's End now (HA's End quiet hours) ends it until the plan's next bedtime or used-up
   * budget: until then the player is the family's to play, with no pause and no request.
   */
  holds(playerId: string, now = this.now()): boolean {
    const period = this.data.quiet.get(playerId) ? this.quietHours.period(playerId) : undefined;
    return period !== undefined && period.until > now;
  }

  /** Quiet the plan started for this child that a parent has ended by hand on every player it held. */
  endedByHand(child: ChildRecord, now = this.now()): boolean {
    const held = this.playersOf(child).filter((id) => this.data.quiet.get(id)?.started);
    return held.length > 0 && held.every((id) => !this.holds(id, now));
  }

  playerName(id: string): string {
    try {
      return this.players.get(id).name;
    } catch {
      return id;
    }
  }

  async saveDay(child: ChildRecord, day: ChildDay): Promise<void> {
    await this.data.putDay(child.name, day);
    this.changed(child.name);
  }

  async note(
    child: string,
    what: FamilyJournalEntry["what"],
    text: string,
    now = this.now(),
    minutes?: number,
  ): Promise<void> {
    this.log.info(text);
    const entry: FamilyJournalEntry = {at: new Date(now).toISOString(), child, what, text};
    if (minutes !== undefined) entry.minutes = minutes;
    await this.data.addJournal(this.nights.days.dateOf(now), entry);
  }

  changed(child: string): void {
    this.bus.emit("family.changed", {child});
  }
}
