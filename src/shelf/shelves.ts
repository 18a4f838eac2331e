import {errorMessage, notFound} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {wallClock} from "../core/time/zoned.js";
import {within} from "../core/within.js";
import type {VoiceAsk} from "../family/bonuses.js";
import {childPlayer} from "../family/childPlayer.js";
import {STORY_RADIO_PREFIX, STORY_RADIO_REF} from "../family/shelfField.js";
import type {ChildrenList, ChildView} from "../family/types.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import {asked, type PlayGate} from "../gate/playGate.js";
import {CatalogueIndex, refOf} from "../playing/catalogueIndex.js";
import type {ChildShelf, ShelfAnswer, ShelfChoice, ShelfSleep} from "../shared/api/shelf.js";
import type {Admission} from "../yoto/admission.js";
import {type PlayerState, VOLUME_PERCENTS, VOLUME_STEPS} from "../yoto/playerModel.js";
import {askState, NowPlaying} from "./nowPlaying.js";
import {type CatalogueEntry, type ResolvedItem, shelfItems} from "./shelfItems.js";
import {type ItemPictures, withPictures} from "./shelfPictures.js";
import {CONTROL_COOL_DOWN_MS, TapGate} from "./tapGate.js";

/** How long a shelf with a reference not found waits for the family's cards read again. */
const FRESH_READ_MS = 1500;
/** A shelf's cards are read again for a reference not found at most this often. */
const FRESH_EVERY_MS = 5_000;

/** What the shelf reads and drives: narrow views of the plan, the players and everything playable. */
export interface ShelvesDeps {
  family: {
    listeners(): ChildrenList["listeners"];
    child(name: string): ChildView;
    askForMore(child: string, player: {id: string; name: string}, by: string, from: "page"): Promise<VoiceAsk>;
  };
  players: Pick<GatedPlayers, "list" | "command" | "groups">;
  /** Each item's own or chosen picture, made on a first read (a moment at most: drawn until then). */
  pictures: ItemPictures & {prepare(items: readonly string[]): Promise<void>};
  /** Everything playable (the family's one catalogue, src/playing/, which voice reads too), and how each kind plays. */
  choices(fresh?: boolean): Promise<readonly CatalogueEntry[]>;
  play(playerId: string, choice: CatalogueEntry, admission: Admission): Promise<unknown>;
  /** The one gate every play passes: the plan (its refusal in the child's journal), the player within reach. */
  gate: Pick<PlayGate, "why" | "check" | "play">;
  /** Until when a quiet player is quiet. */
  quietUntil(playerId: string): number | undefined;
  /** The child's sleep sounds: whether one plays and how many are left tonight, and a start from the page. */
  sleep: {
    state(child: string): {playing: unknown; left: number | null};
    begin(
      child: string,
      ask: {reason: string},
      how: {route: "page"; by: string},
    ): Promise<{outcome: string; text: string}>;
  };
  /** The child's story radio stream, when it has something to play. */
  storyRadio(child: string, shelf: readonly string[]): {stream: string; title: string} | undefined;
  timeZone(): string;
  now(): number;
  log: Logger;
}

/**
 * The child's corner: each child's shelf as the page shows it, a tap that plays an item of it on
 * the child's player within the parents' rules, the few controls a child has, and "one more story".
 */
export class Shelves {
  readonly #deps: ShelvesDeps;
  readonly #taps: TapGate;
  /** The page's controls, one at a time per child and control: a storm of "next" is one skip. */
  readonly #controls: TapGate;
  /** When each child's shelf last had the family's cards read again for a reference not found. */
  readonly #freshReads = new Map<string, number>();
  readonly #now: NowPlaying;

  constructor(deps: ShelvesDeps) {
    this.#deps = deps;
    this.#taps = new TapGate(deps.now);
    this.#controls = new TapGate(deps.now, CONTROL_COOL_DOWN_MS);
    this.#now = new NowPlaying(deps.now);
  }

  /** The child's shelf now (a 404 names the children when there is no such child). */
  async view(name: string): Promise<ChildShelf> {
    const view = this.#deps.family.child(name);
    const {items, missing} = await this.#items(view);
    const player = this.#playerOf(view);
    const sleep = player ? this.#sleep(view, player) : null;
    return {
      child: view.name,
      items: items.map(({play: _play, ...item}) => item),
      missing,
      player: player ? this.#now.of(player, items) : null,
      playable: Boolean(player?.online) && sleep === null,
      sleep,
      ask: askState(view),
    };
  }

  /** A drawing, for `GET /api/shelf/covers/<drawing>-<hue>.svg` (the drawings loaded by the first asked for). */
  async cover(file: string): Promise<string | undefined> {
    return (await import("../pictures/drawingChoice.js")).drawingSvg(file);
  }

  /** Everything a parent may put on a shelf, by reference, a title search narrowing it. */
  async choices(query = "", limit = 50): Promise<{choices: ShelfChoice[]; total: number}> {
    const entries = await this.#deps.choices(true);
    const index = new CatalogueIndex(entries, []);
    const q = query.trim().toLowerCase();
    // A stream called by its card's title ("The Gruffalo") is found by its typed name ("demo") too.
    const also = new Map(entries.flatMap((c) => (c.alsoCalled ? [[refOf(c), c.alsoCalled] as const] : [])));
    const holds = (c: ShelfChoice) =>
      c.title.toLowerCase().includes(q) || (also.get(c.ref) ?? []).some((t) => t.toLowerCase().includes(q));
    // A child's story radio goes on a shelf as "story-radio" (the child's own), never by its stream or its card.
    const radio = (c: ShelfChoice) =>
      (c.kind !== "card" && c.ref.startsWith(`stream:${STORY_RADIO_PREFIX}`)) ||
      (c.kind === "card" && c.title.startsWith(STORY_RADIO_PREFIX));
    const all = index.choices().filter((c) => !radio(c) && (!q || holds(c)));
    all.sort((a, b) => a.title.localeCompare(b.title));
    return {choices: all.slice(0, limit), total: all.length};
  }

  /**
   * A tap (`via` the child's page, or the child's shelf in Home Assistant): the item plays on the
   * child's player, or the answer says why not. One at a time per child.
   */
  async play(name: string, id: string, via: "page" | "shelf_select"): Promise<ShelfAnswer> {
    const view = this.#deps.family.child(name);
    const {items} = await this.#items(view);
    const item = items.find((i) => i.id === id);
    if (!item) {
      const ids = items.map((i) => i.id).slice(0, 10);
      throw notFound(
        `'${id}' is not on ${view.name}'s shelf${ids.length ? `: it holds ${ids.join(", ")}${items.length > 10 ? ", …" : ""}` : " (the shelf is empty)"}`,
        "not_on_shelf",
      );
    }
    return this.#taps.once(view.name, async () => {
      const player = this.#playerOf(view);
      if (!player) return {outcome: "offline", text: `${view.name} has no player in the family plan`};
      // The cover of what plays now pauses it, and a tap on it paused goes on where it was: never from the start.
      const same = this.#now.of(player, items).item === item.id;
      if (same && player.playback.status === "playing") return this.#pauseTapped(view, player, item.title);
      if (same && player.playback.status === "paused") return this.#resumeTapped(view, player, item.title, via);
      const before = player.playback.cardId;
      const request = {route: via, what: asked(item.title, "Play"), child: view.name};
      const answer = await this.#deps.gate.play(player, request, async (admission) => {
        const played = await this.#deps.play(player.id, item.play, admission);
        this.#now.tapped(player.id, item.id, before);
        this.#deps.log.info(`${view.name}'s page: '${item.title}' on '${player.name}'`);
        return played;
      });
      // The page's words for a refusal: the child is asleep (a moon), whatever the plan's reason.
      return {outcome: answer.outcome === "refused" ? "asleep" : answer.outcome, text: answer.text};
    });
  }

  /** A tap on the cover of what plays: it pauses, where it is. */
  async #pauseTapped(view: ChildView, player: PlayerState, title: string): Promise<ShelfAnswer> {
    try {
      await this.#deps.players.command(player.id, {command: "pause"});
    } catch (err) {
      return {outcome: "failed", text: errorMessage(err)};
    }
    this.#deps.log.info(`${view.name}'s page: '${title}' paused on '${player.name}'`);
    return {outcome: "paused", text: `'${title}' paused on '${player.name}'`};
  }

  /** A tap on the cover of what is paused: it goes on where it was, through the gate as any resume. */
  async #resumeTapped(
    view: ChildView,
    player: PlayerState,
    title: string,
    via: "page" | "shelf_select",
  ): Promise<ShelfAnswer> {
    if (!player.online) return {outcome: "offline", text: `${view.name}'s player is offline`};
    const asked = await this.#deps.gate.check(player.id, {route: via, what: `'${title}'`, child: view.name});
    if ("refused" in asked) return {outcome: "asleep", text: asked.refused.text};
    try {
      await this.#deps.players.command(player.id, {command: "resume"}, asked.admitted);
    } catch (err) {
      return {outcome: "failed", text: errorMessage(err)};
    }
    this.#deps.log.info(`${view.name}'s page: '${title}' goes on on '${player.name}'`);
    return {outcome: "played", text: `'${title}' goes on on '${player.name}'`};
  }

  /** Pause, resume, next, or the volume (kept within the max volume in force). */
  control(name: string, action: string, volume?: number): Promise<ShelfAnswer> {
    const view = this.#deps.family.child(name);
    // Each control of its own: a storm of "next" is one skip, and does not hold up "louder".
    return this.#controls.once(`${view.name}\u0000${action}`, () => this.#control(view, action, volume));
  }

  async #control(view: ChildView, action: string, volume?: number): Promise<ShelfAnswer> {
    const player = this.#playerOf(view);
    if (!player?.online) return {outcome: "offline", text: `${view.name}'s player is offline`};
    // In quiet, only pause and the volume: nothing starts again.
    const asked =
      action === "resume" || action === "next"
        ? await this.#deps.gate.check(player.id, {
            route: "page",
            what: action === "next" ? "Next" : "Play again",
            child: view.name,
          })
        : undefined;
    if (asked && "refused" in asked) return {outcome: "asleep", text: asked.refused.text};
    try {
      if (action === "volume") {
        const max = player.volume.max ?? VOLUME_STEPS;
        const steps = Math.max(0, Math.min(max, Math.round(volume ?? 0)));
        await this.#deps.players.command(player.id, {command: "volume", percent: VOLUME_PERCENTS[steps] as number});
        return {outcome: "done", text: `Volume ${steps} of ${max}`};
      }
      if (asked) await this.#deps.players.command(player.id, {command: action as "resume" | "next"}, asked.admitted);
      else await this.#deps.players.command(player.id, {command: "pause"});
      return {outcome: "done", text: `${action} on '${player.name}'`};
    } catch (err) {
      return {outcome: "failed", text: errorMessage(err)};
    }
  }

  /** The moon, tapped at night: the child's sleep sound, within the plan's limits (the play gate's). */
  async sleep(name: string): Promise<ShelfAnswer> {
    const view = this.#deps.family.child(name);
    return this.#taps.once(view.name, async () => {
      if (!view.plan.sleep) return {outcome: "failed", text: `${view.name}'s plan has no sleep sounds`};
      const answer = await this.#deps.sleep.begin(
        view.name,
        {reason: `${view.name} can't sleep`},
        {
          route: "page",
          by: `${view.name}'s page`,
        },
      );
      const outcome = answer.outcome === "refused" ? "asleep" : (answer.outcome as ShelfAnswer["outcome"]);
      return {outcome, text: answer.text};
    });
  }

  /** "One more story", pressed on the page: always a parent's answer (the Family page, the phone). */
  async ask(name: string): Promise<ShelfAnswer> {
    const view = this.#deps.family.child(name);
    const player = this.#playerOf(view);
    if (!player) return {outcome: "offline", text: `${view.name} has no player in the family plan`};
    const asked = await this.#deps.family.askForMore(view.name, player, `${view.name}'s page`, "page");
    switch (asked.result) {
      case "asked":
        return {outcome: "asked", text: `${view.name} asked for one more story`};
      case "waiting":
      case "recent":
        return {outcome: "waiting", text: "A request is already waiting (or was just answered)"};
      case "cap":
        return {outcome: "cap", text: `No more extra stories today (${asked.cap} a day)`};
      case "not_quiet":
        return {outcome: "done", text: `${view.name} may listen now`};
      default:
        return {outcome: "played", text: "Granted"};
    }
  }

  async #items(view: ChildView): Promise<{items: ResolvedItem[]; missing: ChildShelf["missing"]}> {
    const refs = view.plan.shelf ?? [];
    if (refs.length === 0) return {items: [], missing: []};
    const needsGroups = refs.some((r) => r.toLowerCase().startsWith("group:"));
    const read = async (fresh: boolean) => {
      const [choices, groups] = await Promise.all([
        this.#deps.choices(fresh),
        needsGroups ? this.#deps.players.groups.list(fresh).catch(() => []) : [],
      ]);
      const index = new CatalogueIndex(choices, groups);
      return shelfItems(refs, index, this.#deps.storyRadio(view.name, refs));
    };
    let resolved = await read(false);
    // A card bought a minute ago is not in the cards as last read: read again (at most every 5 s), a moment at most.
    // A reference gone for good (a card given away) is not read again on every load: once in a while.
    const last = this.#freshReads.get(view.name) ?? Number.NEGATIVE_INFINITY;
    if (resolved.missing.some((m) => m.ref !== STORY_RADIO_REF) && this.#deps.now() - last > FRESH_EVERY_MS) {
      if (this.#freshReads.size > 500) this.#freshReads.clear();
      this.#freshReads.set(view.name, this.#deps.now());
      const again = await within(read(true), FRESH_READ_MS).catch(() => ({done: false as const}));
      if (again.done) resolved = again.value;
    }
    await this.#deps.pictures.prepare(resolved.items.map((i) => i.id));
    return {items: await withPictures(resolved.items, this.#deps.pictures), missing: resolved.missing};
  }

  /** The player the child is on now: the child's own view and who listens where, not every child's day. */
  #playerOf(view: ChildView): PlayerState | undefined {
    return childPlayer(
      {children: [view], listeners: this.#deps.family.listeners()},
      view.name,
      this.#deps.players.list(),
    );
  }

  #sleep(view: ChildView, player: PlayerState): ShelfSleep | null {
    const childUntil = view.quiet_until ? Date.parse(view.quiet_until) : undefined;
    const quiet = this.#deps.gate.why(player.id) !== undefined;
    if (!quiet && childUntil === undefined) return null;
    const until = childUntil ?? this.#deps.quietUntil(player.id) ?? this.#deps.now();
    const at = wallClock(until, this.#deps.timeZone());
    const reason = view.quiet_reason ?? "quiet";
    return {
      reason,
      until: new Date(until).toISOString(),
      hour: at.hour,
      minute: at.minute,
      sound: this.#sound(view, reason),
    };
  }

  /** The moon's sleep sound: none without one in the plan; never for a day's listening used up (no night). */
  #sound(view: ChildView, reason: ShelfSleep["reason"]): ShelfSleep["sound"] {
    if (!view.plan.sleep) return null;
    const state = this.#deps.sleep.state(view.name);
    if (state.playing) return "playing";
    return reason === "budget" || state.left === 0 ? "used" : "ready";
  }
}
