import {randomUUID} from "node:crypto";
import {AppError, badRequest, notFound} from "../core/errors.js";
import {Days} from "../core/time/days.js";
import {within} from "../core/within.js";
import {cardMoves, type PlayerState} from "../yoto/playerModel.js";
import {DEFAULT_BONUS_CAP, DEFAULT_BONUS_MINUTES} from "./childPlan.js";
import {requestView} from "./childView.js";
import type {ChildRecord} from "./familyStore.js";
import type {FamilyPlayers, PlanContext} from "./planContext.js";
import type {ActiveBonus, ChildDay, PendingRequest} from "./verdict.js";

/** One request per child per this long; a request not answered in this long expires. */
export const REQUEST_EVERY_MS = 10 * 60_000;
/** The longest an end-of-track bonus lasts, however long the track. */
export const END_OF_TRACK_CAP_MS = 60 * 60_000;
const ACTIVE = new Set(["playing", "loading"]);

/**
 * "One more story": bonuses a parent grants (by minutes, or to the end of the track), and the
 * requests a child makes by trying to play while kept quiet, answered Allow or Not tonight.
 */
export class Bonuses {
  constructor(readonly ctx: PlanContext) {}

  /** Grant a bonus; `by` says who (the panel, Home Assistant, an answer to a request). */
  async grant(child: ChildRecord, ask: {minutes?: number; endOfTrack?: boolean}, by: string): Promise<ActiveBonus> {
    const now = this.ctx.now();
    const day = this.ctx.dayToChange(child, now);
    const cap = this.#capCheck(child, day);
    const minutes = ask.endOfTrack ? undefined : (ask.minutes ?? child.plan.bonus?.minutes ?? DEFAULT_BONUS_MINUTES);
    // A second minutes bonus while one runs extends it: two 15-minute bonuses are 30 minutes, not 15.
    const running = day.bonus && day.bonus.until > now && !day.bonus.endOfTrack ? day.bonus : undefined;
    const bonus: ActiveBonus = ask.endOfTrack
      ? {grantedAt: now, until: now + END_OF_TRACK_CAP_MS, endOfTrack: true, by}
      : running
        ? {
            ...running,
            until: running.until + (minutes as number) * 60_000,
            minutes: (running.minutes ?? 0) + (minutes as number),
            by,
          }
        : {grantedAt: now, until: now + (minutes as number) * 60_000, minutes, by};
    day.bonus = bonus;
    day.bonuses += 1;
    // A parent's grant after their Not tonight is a change of mind: voice may grant again.
    day.declinedUntil = undefined;
    day.bonusMinutes += minutes ?? 0;
    if (day.request) day.request = undefined;
    await this.ctx.saveDay(child, day);
    await this.ctx.note(
      child.name,
      "bonus",
      `${child.name} got a bonus ${minutes ? `of ${minutes} min${running ? " more, added to the one running" : ""}` : "until the end of the track"} (by ${by}; ${day.bonuses} of ${cap} today)`,
      now,
    );
    return bonus;
  }

  /** Answer the child's request: Allow grants the plan's bonus (refused at the cap before the journal says "allowed"). */
  async allow(child: ChildRecord, by: string): Promise<ActiveBonus> {
    const request = this.#pending(child);
    this.#capCheck(child, this.ctx.dayOf(child, this.ctx.now()));
    await this.ctx.note(child.name, "allowed", `${child.name}'s request for one more story was allowed (by ${by})`);
    return this.grant(child, {}, `${by}, answering ${child.name}'s request on '${request.player}'`);
  }

  /**
   * Answer Not tonight: the request closes, the player says the plan's line, if it has one, and no
   * bonus is granted by voice until the quiet it was said in ends (the next day's wake): a parent's
   * no is not undone by asking the satellite instead.
   */
  async notTonight(child: ChildRecord, by: string): Promise<void> {
    const request = this.#pending(child);
    // The answer is written before the request closes, as Allow's is: a page reading between the two
    // sees the request still waiting, never a closed request with no answer ("One more story" again).
    await this.ctx.note(
      child.name,
      "not_tonight",
      `${child.name}'s request for one more story: not tonight (by ${by})`,
    );
    const now = this.ctx.now();
    const day = this.ctx.dayToChange(child, now);
    day.request = undefined;
    day.declinedUntil = this.ctx.verdict(child, now).blocked?.until ?? this.#nextDay(now);
    await this.ctx.saveDay(child, day);
    if (child.plan.not_tonight?.say) await this.#say(child, request.playerId);
  }

  /**
   * Every change of a player the plan holds: an end-of-track bonus ends with its track, and a play
   * attempt while kept quiet (play pressed, a card inserted) is a request, one per child per 10 min.
   */
  async observe(player: PlayerState, previous: PlayerState): Promise<void> {
    const child = this.ctx.childOfPlayer(player.id);
    if (!child) return;
    const now = this.ctx.now();
    const day = this.ctx.dayToChange(child, now);
    if (day.bonus?.endOfTrack && day.bonus.until > now) {
      const key = player.playback.trackKey ?? player.playback.chapterKey ?? player.playback.cardId ?? "";
      if (!day.bonus.track && player.playback.status === "playing") {
        day.bonus.track = {playerId: player.id, key};
        await this.ctx.saveDay(child, day);
      } else if (
        day.bonus.track?.playerId === player.id &&
        (day.bonus.track.key !== key || !ACTIVE.has(player.playback.status))
      ) {
        day.bonus.until = now;
        await this.ctx.saveDay(child, day);
        this.ctx.log.info(`${child.name}'s bonus ended with the track`);
      }
      return;
    }
    const held = this.ctx.data.quiet.get(player.id);
    if (!held || !player.online || !this.ctx.holds(player.id, now)) return;
    const started = ACTIVE.has(player.playback.status) && !ACTIVE.has(previous.playback.status);
    const inserted = cardMoves(previous, player).inserted;
    if (!started && !inserted) return;
    // Muted already; paused too, so the story waits where it is for the answer.
    if (started) await this.ctx.players.command(player.id, {command: "pause"}).catch(() => undefined);
    if (day.request || (day.lastRequestAt !== undefined && now - day.lastRequestAt < REQUEST_EVERY_MS)) return;
    const cardId = player.playback.cardId ?? inserted ?? undefined;
    // The card's title, as the parent knows it ("The Moon Fox"), never the chapter playing ("Garden").
    // Within the plan's turn, so a slow cloud may hold it at most a moment: the request goes without a title then.
    const card = cardId ? await cardTitle(this.ctx.players, cardId) : undefined;
    await this.#raise(child, day, {
      player,
      reason: held.reason,
      ...(cardId ? {cardId} : {}),
      ...(card ? {card} : {}),
      journal: `${child.name} asked for one more story on '${player.name}'`,
    });
  }

  /**
   * "One more story for Ben", said to Home Assistant: while the plan keeps the child quiet, the
   * same request a play attempt makes (one at a time, one per 10 minutes, the parent's Allow or Not
   * tonight), or a bonus at once where the plan's `bonus.voice` is `grant` (voice only: the child's
   * page always asks). Never past the cap.
   */
  async ask(
    child: ChildRecord,
    player: {id: string; name: string},
    by: string,
    grant = child.plan.bonus?.voice === "grant",
  ): Promise<VoiceAsk> {
    const now = this.ctx.now();
    const verdict = this.ctx.verdict(child, now);
    // A parent's End now ended the plan's quiet until its next bedtime or used-up budget: the child
    // may listen, which is the answer (not a request, nor "asked a moment ago").
    if (!verdict.blocked || this.ctx.endedByHand(child, now)) return {result: "not_quiet"};
    const day = this.ctx.dayToChange(child, now);
    // Granting at once would overrule a parent's Not tonight: that no stands until its end.
    if (grant && day.declinedUntil !== undefined && day.declinedUntil > now)
      return {result: "declined", until: day.declinedUntil};
    const cap = capOf(child);
    if (day.bonuses >= cap) return {result: "cap", cap};
    if (grant) return {result: "granted", bonus: await this.grant(child, {}, by)};
    if (day.request && day.request.expiresAt > now) return {result: "waiting"};
    if (day.lastRequestAt !== undefined && now - day.lastRequestAt < REQUEST_EVERY_MS)
      return {result: "recent", again: day.lastRequestAt + REQUEST_EVERY_MS};
    await this.#raise(child, day, {
      player,
      reason: verdict.blocked.reason,
      journal: `${child.name} asked for one more story (by ${by})`,
    });
    return {result: "asked"};
  }

  /**
   * The child's request, waiting for a parent's answer: saved, in the journal, and announced (the
   * event entity, the phone blueprint), however it was made.
   */
  async #raise(
    child: ChildRecord,
    day: ChildDay,
    ask: {
      player: {id: string; name: string};
      reason: PendingRequest["reason"];
      cardId?: string;
      card?: string;
      journal: string;
    },
  ): Promise<void> {
    const now = this.ctx.now();
    const {player, journal, ...about} = ask;
    day.request = {
      id: randomUUID(),
      child: child.name,
      player: player.name,
      playerId: player.id,
      ...about,
      at: now,
      expiresAt: now + REQUEST_EVERY_MS,
    };
    day.lastRequestAt = now;
    await this.ctx.saveDay(child, day);
    await this.ctx.note(child.name, "request", journal, now);
    this.ctx.bus.emit("family.requested", requestView(day.request));
  }

  /** The daily cap, or a 409 when today's bonuses have reached it. */
  #capCheck(child: ChildRecord, day: {bonuses: number}): number {
    const cap = capOf(child);
    if (day.bonuses >= cap)
      throw new AppError(
        "bonus_cap",
        `${child.name} has had ${day.bonuses} bonus${day.bonuses === 1 ? "" : "es"} today, the daily cap: raise 'bonus.daily_cap' in the plan to allow more`,
        {status: 409},
      );
    return cap;
  }

  /** The start of the day after `now`'s, in the family's zone. */
  #nextDay(now: number): number {
    const days = this.ctx.nights.days;
    return days.startOf(Days.add(days.dateOf(now), 1));
  }

  #pending(child: ChildRecord) {
    const request = this.ctx.dayOf(child, this.ctx.now()).request;
    if (!request || request.expiresAt <= this.ctx.now())
      throw notFound(`${child.name} has no request waiting for an answer`, "no_request");
    return request;
  }

  /**
   * The spoken "not tonight": the player is muted by quiet hours, so they are ended for the line
   * (saved first, as always) and the next pass of the plan starts them again.
   */
  async #say(child: ChildRecord, playerId: string): Promise<void> {
    try {
      const period = this.ctx.quietHours.period(playerId);
      if (period) {
        await this.ctx.quietHours.end(playerId, period.before ? {volume: period.before} : {});
        await this.ctx.data.setQuiet(playerId, undefined);
      }
      await this.ctx.runStep({child: child.name, step: "not_tonight", player: this.ctx.playerName(playerId), playerId});
    } catch (err) {
      this.ctx.log.warning(
        `Could not say "not tonight" on '${this.ctx.playerName(playerId)}' (${(err as Error).message})`,
      );
    }
  }
}

/** How a spoken "one more story" went. */
export type VoiceAsk =
  | {result: "asked" | "waiting" | "not_quiet"}
  | {result: "recent"; again: number}
  | {result: "cap"; cap: number}
  | {result: "granted"; bonus: ActiveBonus}
  /** A parent said Not tonight: no bonus by voice until `until` (epoch ms). */
  | {result: "declined"; until: number};

/** The body of `POST /api/children/<name>/bonus`. */
export function readBonusAsk(body: Record<string, unknown>): {minutes?: number; endOfTrack?: boolean} {
  for (const key of Object.keys(body))
    if (key !== "minutes" && key !== "until")
      throw badRequest(
        `'${key}' is not a field of a bonus: send {"minutes": 15} or {"until": "end_of_track"}`,
        "bad_bonus",
      );
  if (body.until !== undefined) {
    if (body.until !== "end_of_track" || body.minutes !== undefined)
      throw badRequest(
        `'until' can only be "end_of_track", without 'minutes' (got ${JSON.stringify(body.until)})`,
        "bad_bonus",
      );
    return {endOfTrack: true};
  }
  if (body.minutes === undefined) return {};
  const m = body.minutes;
  if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > 240)
    throw badRequest(
      `'minutes' must be a whole number of minutes from 1 to 240 (got ${JSON.stringify(m)})`,
      "bad_bonus",
    );
  return {minutes: m};
}

const CARD_TITLE_WAIT_MS = 2000;

/** Bonuses a day the child's plan allows. */
function capOf(child: ChildRecord): number {
  return child.plan.bonus?.daily_cap ?? DEFAULT_BONUS_CAP;
}

async function cardTitle(players: FamilyPlayers, cardId: string): Promise<string | undefined> {
  const lookup = (players.cardSummary?.(cardId) ?? Promise.resolve(undefined)).then(
    (summary) => summary?.title,
    () => undefined,
  );
  const read = await within(lookup, CARD_TITLE_WAIT_MS);
  return read.done ? read.value : undefined;
}
