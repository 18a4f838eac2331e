import {wallClock} from "../core/time/zoned.js";
import type {VoiceAsk} from "../family/bonuses.js";
import type {ChildView, ChildWeek, SleepAnswer} from "../family/types.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayGate} from "../gate/playGate.js";
import type {PlayRequest} from "../gate/types.js";
import type {OwnTitle} from "../playing/catalogue.js";
import type {CatalogueEntry} from "../playing/types.js";
import type {VoiceAnswer, VoiceOutcome, VoiceTrigger} from "../shared/api/voice.js";
import type {Admission} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {ChildChoices} from "./childChoices.js";
import {spokenKey, withoutPolite} from "./spokenText.js";
import type {TitleIndex} from "./titleIndex.js";
import type {Offer, VoiceOffers} from "./voiceOffers.js";
import type {VoiceAsked} from "./voiceRequest.js";
import {type KnownChild, knownNames, nameKey, type Target, whoIsMeant, whoIsMeantWithin} from "./whoIsMeant.js";

/** The requests about what a Yoto plays now: with nobody named, the one playing is meant. */
const ABOUT_WHAT_PLAYS = new Set<VoiceTrigger>([
  "whats_playing",
  "pause",
  "resume",
  "stop",
  "next",
  "previous",
  "volume_up",
  "volume_down",
  "volume_set",
]);

/** What asks about what plays, or stops it: with nothing on anywhere, that is the answer. */
const NOTHING_MEANS_NONE = new Set<VoiceTrigger>(["whats_playing", "pause", "stop", "next", "previous"]);
const HOLDING = new Set(["playing", "loading", "paused"]);

/** What the voice service reads and drives: narrow views of the players, the plan and the library. */
export interface VoiceDeps {
  /** A start (Play again, Next, Previous) passes the play gate, as voice's. */
  players: Pick<GatedPlayers, "list" | "command" | "cardSummary"> & {cloud: {state: string}};
  family: {
    /** Every child with its players, and who listens where: read per request, so nothing timed (no day judged). */
    roster(): {
      children: Array<Pick<ChildView, "name" | "players">>;
      listeners: Array<{playerId: string; child: string; usual: string}>;
    };
    /** One child as the plan sees it now (its day judged, tonight), asked only of the child a request is about. */
    view(child: string): ChildView | undefined;
    /** `from`: said to a satellite, or asked by an assistant (the plan decides each's bonus apart). */
    askForMore(
      child: string,
      player: {id: string; name: string},
      by: string,
      from: "voice" | "assistant",
    ): Promise<VoiceAsk>;
  };
  /** The one gate every play passes: the plan, the journal, the player within reach. */
  gate: Pick<PlayGate, "check" | "play" | "heldUntil">;
  listening: {todaySeconds(playerId: string): number};
  /** Everything that can be played by its title: cards, groups, stories, streams, stations, podcasts, items. */
  choices(fresh?: boolean): Promise<readonly CatalogueEntry[]>;
  play(playerId: string, choice: CatalogueEntry, admission: Admission): Promise<unknown>;
  /** What this service plays on a player's card of its own (story radio, a stream, a library item asked for), if it does. */
  ownTitle(playerId: string, cardId: string): OwnTitle | undefined;
  timeZone(): string;
  now(): number;
  /** How long an answer waits for the player before it says it asked (HA waits a few seconds). */
  answerWithinMs: number;
  /** Titles as compared, kept from one request to the next. */
  titles: TitleIndex;
  /** Per child, what its play requests compare titles with, kept while the catalogue is the same. */
  childChoices: ChildChoices;
  /** The titles each satellite last named to choose from. */
  offers: VoiceOffers;
  /**
   * Whether a child's story radio has something to play, given the shelf: items whose audio is here
   * (story radio's own reading). Without it, a shelf naming a library item or a stream is taken to.
   */
  storyRadioPlays?: (child: string, shelf: readonly string[]) => boolean;
  /** The children's sleep sounds ("Mia can't sleep"), built after voice: a start through the play gate. */
  sleep?: {
    begin(child: string, ask: {reason: string}, how: {route: PlayRequest["route"]; by: string}): Promise<SleepAnswer>;
  };
  /** Each child's last seven days, built after voice: "what did Mia listen to this week", "how was Ben's night". */
  weeks?: {week(child: string): Promise<ChildWeek>};
  /** For "something": which of the shelf (a test gives its own). */
  random?: () => number;
}

/** One request under way: what was asked, the family as it is now, and how to say things. */
export class VoiceTurn {
  readonly children: KnownChild[];
  /** The views asked for in this turn, each made once (issue #99: every request made every child's). */
  readonly #views = new Map<string, ChildView | undefined>();
  /** The trigger whose work this request turned out to be, when not its own. */
  #acting: VoiceTrigger | undefined;
  /**
   * Who was named: the `who` wildcard without "please" and the like, or, where the family's own
   * sentences wrote the names literally (no wildcard took one), the name said in the sentence.
   */
  readonly who: string | undefined;
  /** The title as said, without "please" at either end. */
  readonly what: string | undefined;
  /** The only children an assistant may act for and ask about; undefined: anyone, as at a satellite. */
  readonly scope: readonly string[] | undefined;
  /**
   * What this satellite was offered to choose from within the minute, taken by this request: it is
   * the answer to it ("yes", "the second one") or a new request that replaces it. Either way it is spent.
   */
  readonly offer: Offer | undefined;

  constructor(
    readonly deps: VoiceDeps,
    readonly asked: VoiceAsked,
  ) {
    const family = deps.family.roster();
    this.children = family.children.map((c) => ({
      name: c.name,
      // Its own players, a shared one of its own it listens on now, then one it borrows from another child.
      playerIds: [
        ...c.players.filter((p) => !p.shared || p.listening).map((p) => p.id),
        ...family.listeners.filter((l) => l.child === c.name && l.usual !== c.name).map((l) => l.playerId),
      ],
      lent: c.players.filter((p) => p.shared && !p.listening).map((p) => p.id),
    }));
    const {polite} = asked.lang.words;
    this.what = asked.slots.what ? withoutPolite(asked.slots.what, polite) || undefined : undefined;
    const who = asked.slots.who ? withoutPolite(asked.slots.who, polite) : "";
    // An assistant's call says who in its own slot: its sentence (for the log) is never read for a name.
    this.who = who || (asked.slots.who || asked.structured ? undefined : this.#namedInSentence());
    this.scope = asked.assistant?.children.length ? asked.assistant.children : undefined;
    this.offer = deps.offers.take(asked.deviceId);
  }

  /**
   * The longest name of the family (a child, a possessive of one, a Yoto, an area of Home Assistant)
   * said in the sentence as whole words, outside the title. One pass per name over at most 200
   * characters: linear in the names.
   */
  #namedInSentence(): string | undefined {
    let said = spokenKey(this.asked.sentence);
    const what = this.what ? spokenKey(this.what) : "";
    const at = what ? said.indexOf(what) : -1;
    if (at >= 0) said = `${said.slice(0, at)} | ${said.slice(at + what.length)}`;
    const padded = ` ${said} `;
    const plain = ` ${said.replace(/'/g, "")} `;
    const names = [
      ...this.children.flatMap((c) => [c.name, ...this.lang.possessives(c.name)]),
      ...this.deps.players.list().map((p) => p.name),
      ...this.asked.rooms.map((r) => r.area),
    ];
    let best: string | undefined;
    for (const name of names) {
      const key = spokenKey(name);
      if (!key || (best && key.length <= best.length)) continue;
      if (padded.includes(` ${key} `) || plain.includes(` ${key.replace(/'/g, "")} `)) best = name;
    }
    return best;
  }

  /** Whether any Yoto within reach has a card playing or paused. */
  #anythingOn(): boolean {
    return this.deps.players
      .list()
      .some((p) => p.online && p.playback.cardId !== null && HOLDING.has(p.playback.status));
  }

  get lang() {
    return this.asked.lang;
  }

  /** Whether a name as heard names nobody ("the", "my", nothing): the satellite's room decides then. */
  nobodyNamed(who: string | undefined): boolean {
    return nameKey(who, this.lang) === "";
  }

  /**
   * Who a request means. A name that is nobody may hold the name after a joining word ("the story on
   * Mia's", as HA's wildcard took it from "resume the story on Mia's Yoto"): see `afterJoiner`.
   */
  target(who = this.who): Target {
    const first = this.resolve(who);
    if (first.kind !== "unknown" || !who) return first;
    return this.afterJoiner(who, (t) => t.kind === "player" || t.kind === "child_without_player")?.target ?? first;
  }

  /**
   * The name at the end of `text`, after a joining word ("on", "for", "in"): from the last such word
   * back, the first part after one that names someone `fits`, with the words before that joiner.
   */
  afterJoiner(
    text: string,
    fits: (target: Target, name: string) => boolean,
  ): {target: Target; before: string[]} | undefined {
    const words = text.split(/\s+/).slice(0, 40);
    for (let i = words.length - 2; i >= 0; i--) {
      if (!this.lang.words.joiners.includes((words[i] as string).toLowerCase())) continue;
      const name = words.slice(i + 1).join(" ");
      const target = this.resolve(name);
      if (fits(target, name)) return {target, before: words.slice(0, i)};
    }
    return undefined;
  }

  /**
   * Who a name means, as heard, without looking inside it. Every trigger finds its player or child
   * here, so an assistant given some children is held to them here, once (`whoIsMeantWithin`).
   */
  resolve(who: string | undefined): Target {
    const {area, devices, rooms, trigger} = this.asked;
    const heard = {who, area, devices, rooms, aboutWhatPlays: ABOUT_WHAT_PLAYS.has(trigger)};
    const players = this.deps.players.list();
    return this.scope
      ? whoIsMeantWithin(this.scope, heard, this.lang, this.children, players)
      : whoIsMeant(heard, this.lang, this.children, players);
  }

  /** The names the family can say to this request: an assistant's own children only, when it was given some. */
  knownNames(): string[] {
    return this.scope ? [...this.scope] : knownNames(this.children, this.deps.players.list());
  }

  /** The children a request may be about: an assistant's own, when it was given some. */
  childNames(): string[] {
    return this.scope ? [...this.scope] : this.children.map((c) => c.name);
  }

  /**
   * The player the request names (or the satellite's room), with how to say it and the answer's
   * fields about it; or the answer that says why there is none.
   */
  player(): {player: PlayerState; child?: string; where: string; about: Partial<VoiceAnswer>} | VoiceAnswer {
    const target = this.target();
    // Nobody named, several Yotos, and none with anything on: "which Yoto?" would ask for nothing.
    if (target.kind === "which" && NOTHING_MEANS_NONE.has(this.asked.trigger) && !this.#anythingOn())
      return this.say("answered", this.lang.answers.nothingPlayingAnywhere());
    if (target.kind !== "player") return this.notAPlayer(target);
    const {player, child} = target;
    return {player, child, where: this.where(player, child), about: this.about(player, child)};
  }

  /** How the gate and the journal name who asked: voice, or an assistant by its name. */
  route(): Pick<PlayRequest, "route" | "by"> {
    const assistant = this.asked.assistant;
    return assistant ? {route: "assistant", by: assistant.name} : {route: "voice"};
  }

  /** Who asked for one more story, as the child's journal says it ("by voice"), and how. */
  askedBy(): {by: string; from: "voice" | "assistant"} {
    const assistant = this.asked.assistant;
    return assistant ? {by: `the assistant '${assistant.name}'`, from: "assistant"} : {by: "voice", from: "voice"};
  }

  /** "Mia's Yoto" when the player is a child's, else the player's name. */
  where(player: PlayerState, child?: string): string {
    return child ? this.lang.childsYoto(child) : player.name;
  }

  /** The child's view, by its name exactly as the plan spells it (undefined for anyone else). */
  view(child: string): ChildView | undefined {
    if (!this.#views.has(child))
      this.#views.set(child, this.children.some((c) => c.name === child) ? this.deps.family.view(child) : undefined);
    return this.#views.get(child);
  }

  /** The answer for a target that is not a player: who is unknown, which one, none at all. */
  notAPlayer(target: Exclude<Target, {kind: "player"}>): VoiceAnswer {
    const a = this.lang.answers;
    const known = this.lang.list(this.knownNames(), "and");
    switch (target.kind) {
      case "unknown":
        return this.say(
          "unknown_name",
          known ? a.unknownName({name: target.name, known}) : a.unknownNameNoneKnown(target),
        );
      case "which":
        return this.say("which", a.which({known}));
      case "no_players":
        return this.say("offline", a.noPlayers());
      case "child_without_player":
        return this.say("which", a.noYoto(target), {child: target.child});
      case "not_granted":
        return this.notGranted();
    }
  }

  /** An assistant asked for someone it was not given: said with whom it acts for, and nothing done. */
  notGranted(): VoiceAnswer {
    const children = this.lang.list([...(this.scope ?? [])], "and");
    return this.say("refused", this.lang.answers.notGranted({assistant: this.asked.assistant?.name ?? "", children}));
  }

  /** "7:00 tomorrow" in the family's zone. */
  time(epoch: number): string {
    const zone = this.deps.timeZone();
    const at = wallClock(epoch, zone);
    const today = wallClock(this.deps.now(), zone);
    const days = Math.round(
      (Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000,
    );
    return this.lang.time({hour: at.hour, minute: at.minute, days, weekday: at.weekday});
  }

  say(outcome: VoiceOutcome, speech: string, extra: Partial<VoiceAnswer> = {}): VoiceAnswer {
    const action = this.#acting ?? this.asked.trigger;
    return {speech, outcome, trigger: this.asked.trigger, action, language: this.lang.code, ...extra};
  }

  /**
   * The request is another trigger's work ("play the next chapter" is next, "resume the sleepy
   * dragon" a play): `act` does it, and its answer says which (`action`).
   */
  actingAs(action: VoiceTrigger, act: () => Promise<VoiceAnswer>): Promise<VoiceAnswer> {
    this.#acting = action;
    return act();
  }

  /** About a player (and its child): the fields every answer on one carries. */
  about(player: PlayerState, child?: string): Partial<VoiceAnswer> {
    return {player: player.name, player_id: player.id, ...(child ? {child} : {})};
  }
}
