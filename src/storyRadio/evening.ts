import type {Logger} from "../core/logger.js";
import {childPlayer} from "../family/childPlayer.js";
import type {ChildrenList, ChildView} from "../family/types.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {OwnCard} from "../shared/api/cards.js";
import {VOLUME_PERCENTS} from "../yoto/playerModel.js";

/** Without a wind-down in the plan, the evening starts this long before bedtime. */
export const EVENING_MS = 30 * 60_000;
/** The evening's step is waited for at most this long: no stream is sent further ahead of what is heard. */
const MAX_SOFTEN_WAIT_MS = 10 * 60_000;

/** What turning a child's Yoto down for the evening reads and drives. */
export interface EveningDeps {
  family: {child(name: string): ChildView; listeners(): ChildrenList["listeners"]};
  /** A volume step is not a start: it needs no pass at the gate. */
  players: Pick<GatedPlayers, "list" | "command">;
  /** The service's own cards: story radio is known by the stream its card plays, never by a title. */
  cards: {find(cardId: string): OwnCard | undefined};
  now(): number;
  log: Logger;
}

/**
 * Story radio's evening: the child's Yoto, while it plays the child's story radio, goes down to the
 * plan's wind-down volume, or three steps (never below 1, never up). `heardAt`: when the listener
 * hears the first item of the evening (the radio sends ahead of it), else the plan's evening.
 */
export async function softenForEvening(
  deps: EveningDeps,
  name: string,
  radioStream: string,
  heardAt?: number,
): Promise<void> {
  const wait = untilEvening(deps, deps.family.child(name), heardAt);
  if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait).unref?.());
  const view = deps.family.child(name);
  const player = childPlayer({children: [view], listeners: deps.family.listeners()}, view.name, deps.players.list());
  if (!player?.online || player.playback.status !== "playing") return;
  const card = player.playback.cardId ? deps.cards.find(player.playback.cardId) : undefined;
  if (card?.source.type !== "stream" || card.source.stream !== radioStream) return;
  const level = player.volume.level;
  if (level === undefined) return;
  const target = Math.min(level, view.plan.bedtime?.wind_down?.volume ?? Math.max(1, level - 3));
  if (target >= level) return;
  await deps.players.command(player.id, {command: "volume", percent: VOLUME_PERCENTS[target] as number});
  deps.log.info(`Story radio: ${view.name}'s evening, '${player.name}' down to volume ${target}`);
}

/**
 * How long before the evening's volume step is due: until the listener hears the first item of the
 * evening when the radio says when, else until the plan's wind-down (or the half hour before
 * bedtime) starts. None when that is past, or further off than any stream is sent ahead.
 */
function untilEvening(deps: Pick<EveningDeps, "now">, view: ChildView, heardAt?: number): number {
  const step = (name: string) => {
    const found = view.tonight.find((s) => s.step === name);
    return found ? Date.parse(found.at) : undefined;
  };
  const bedtime = step("bedtime");
  const evening = heardAt ?? step("wind_down") ?? (bedtime === undefined ? undefined : bedtime - EVENING_MS);
  if (evening === undefined || Number.isNaN(evening)) return 0;
  const wait = evening - deps.now();
  return wait > 0 && wait <= MAX_SOFTEN_WAIT_MS ? wait : 0;
}
