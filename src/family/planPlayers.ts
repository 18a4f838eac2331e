import {notFound} from "../core/errors.js";
import type {ChildRecord} from "./familyStore.js";
import type {PlanContext} from "./planContext.js";
import type {ChildrenList} from "./types.js";

type Listener = ChildrenList["listeners"][number];

/**
 * The plan's players as the children hold them: which child owns a player, who is listening on a
 * shared one, and whose listening time a shared player's counts towards.
 */
export class PlanPlayers {
  readonly #ctx: PlanContext;
  /** Each shared player's listening today as last reported, to give what comes next to whoever listens. */
  readonly #seconds = new Map<string, number>();

  constructor(ctx: PlanContext) {
    this.#ctx = ctx;
  }

  /** Where each shared player's listening stands at start, so what comes next goes to whoever listens. */
  load(): void {
    for (const child of this.#ctx.data.children.values())
      for (const id of child.plan.shared_players ?? []) this.#seconds.set(id, this.#safeSeconds(id));
  }

  /** A player's id from its id or its name (any case), undefined when no player is either. */
  playerId(nameOrId: string): string | undefined {
    const lower = nameOrId.toLowerCase();
    return this.#ctx.players.list().find((p) => p.id === nameOrId || p.name.toLowerCase() === lower)?.id;
  }

  /** The other child that has the player, its own or shared, if any. */
  ownerOf(playerId: string, child: string): string | undefined {
    for (const other of this.#ctx.data.children.values())
      if (
        other.name.toLowerCase() !== child.toLowerCase() &&
        (other.plan.players.includes(playerId) || other.plan.shared_players?.includes(playerId))
      )
        return other.name;
    return undefined;
  }

  /** Shared players and who is listening on each: cheap, for the per-player select. */
  listeners(): Listener[] {
    return [...this.#ctx.data.children.values()].flatMap((child) =>
      (child.plan.shared_players ?? []).map((playerId) => ({
        playerId,
        player: this.#ctx.playerName(playerId),
        child: this.#ctx.childOfPlayer(playerId)?.name ?? child.name,
        usual: child.name,
      })),
    );
  }

  /** The shared player `playerRef` names and the child who shares it, or a 404 naming the shared players. */
  shared(playerRef: string): {playerId: string; usual: ChildRecord} {
    const playerId = this.playerId(playerRef);
    const usual = [...this.#ctx.data.children.values()].find(
      (c) => playerId && c.plan.shared_players?.includes(playerId),
    );
    if (!playerId || !usual) {
      const shared = this.listeners().map((l) => l.player);
      throw notFound(
        `'${playerRef}' is not a shared player of the family plan${shared.length ? `: shared players are ${shared.join(", ")}` : " (add it to a child's 'shared_players')"}`,
        "not_shared",
      );
    }
    return {playerId, usual};
  }

  /** `child` is listening on the shared player now (its usual child: nobody else is). */
  async lend(playerId: string, usual: ChildRecord, child: ChildRecord): Promise<Listener> {
    await this.#ctx.data.setListener(playerId, child.name === usual.name ? undefined : child.name);
    this.#ctx.log.info(`${child.name} is listening on '${this.#ctx.playerName(playerId)}'`);
    return {playerId, player: this.#ctx.playerName(playerId), child: child.name, usual: usual.name};
  }

  /** A child gone from the plan listens on no player any more. */
  async forgetListener(childName: string): Promise<void> {
    const data = this.#ctx.data;
    for (const [playerId, who] of [...data.listeners])
      if (who.toLowerCase() === childName.toLowerCase()) await data.setListener(playerId, undefined);
  }

  /**
   * "Who is listening" on a player no child shares any more (its owner was removed, or took it out
   * of shared_players) is forgotten: a later owner's player must not stay lent to someone else.
   */
  async prune(): Promise<void> {
    const data = this.#ctx.data;
    const shared = new Set([...data.children.values()].flatMap((c) => c.plan.shared_players ?? []));
    for (const playerId of [...data.listeners.keys()])
      if (!shared.has(playerId)) await data.setListener(playerId, undefined);
  }

  /**
   * A shared player's listening goes to whoever is listening on it now. Answers whether the player
   * is a child's, so the plan judges again.
   */
  async listened(playerId: string, todaySeconds: number): Promise<boolean> {
    const ctx = this.#ctx;
    const previous = this.#seconds.get(playerId);
    this.#seconds.set(playerId, todaySeconds);
    const child = ctx.childOfPlayer(playerId);
    if (child && !child.plan.players.includes(playerId) && previous !== undefined && todaySeconds > previous) {
      const day = ctx.dayToChange(child, ctx.now());
      day.sharedSeconds += todaySeconds - previous;
      await ctx.saveDay(child, day);
    }
    return child !== undefined;
  }

  #safeSeconds(playerId: string): number {
    try {
      return this.#ctx.listening.todaySeconds(playerId);
    } catch {
      return 0;
    }
  }
}
