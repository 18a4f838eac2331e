import type {Cards, OwnCard} from "../cards/cards.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {StoryOrigin} from "../shared/api/cards.js";
import type {StoryCardRewrite, StoryCardState} from "../shared/api/stories.js";
import {type CardPlan, cardPlan, planChanges} from "./model/cardPlan.js";
import {MAX_SCENES, type Scene, type Story, type StoryMode} from "./model/story.js";

/** After a failed rewrite: tried again after each of these in turn, then every 30 minutes. */
const CARD_RETRY_MS = [30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];

export interface CardUpkeepOptions {
  cards: Cards;
  stories: {has(id: string): boolean; get(id: string): Story};
  bus: EventBus;
  log: Logger;
  retryMs?: readonly number[];
  /** A scene's length as its track reports it, when its audio is made (what the card would say now). */
  seconds?: (story: Story, scene: Scene) => number | undefined;
}

interface Failure {
  error: string;
  retryAt: number;
  attempts: number;
  timer: NodeJS.Timeout;
}

/**
 * Keeps every story's cards playing the story as it is now. A card branches by itself from the
 * chapters written on it, so an edited or re-imported story reaches the child only once its cards
 * are written again: each load rewrites the cards that differ (one story at a time, in order), and a
 * card Yoto would not take is named, with why, and tried again.
 */
export class StoryCardUpkeep {
  readonly #opts: CardUpkeepOptions;
  /** Each story's latest run: the next waits for it, and an import answers with it. */
  readonly #runs = new Map<string, Promise<StoryCardRewrite[]>>();
  readonly #failures = new Map<string, Failure>();
  /** Icons chosen for a story's cards that not every card has yet (one was refused). */
  readonly #chosen = new Map<string, {icon: string | undefined}>();
  #stopped = false;

  constructor(opts: CardUpkeepOptions) {
    this.#opts = opts;
  }

  stop(): void {
    this.#stopped = true;
    for (const failure of this.#failures.values()) clearTimeout(failure.timer);
    this.#failures.clear();
  }

  /** The stories just loaded: the cards of each are checked, and those that differ rewritten. */
  storiesLoaded(stories: Story[]): void {
    if (this.#stopped) return;
    for (const story of stories) if (this.#opts.cards.forStory(story.id).length > 0) void this.update(story.id);
  }

  /** What this load did to a story's cards (the import's answer): the run under way, or a new one. */
  latest(storyId: string): Promise<StoryCardRewrite[]> {
    return this.#runs.get(storyId) ?? this.update(storyId);
  }

  /** What each story card was written from, now: `since` compares an import's result with it. */
  snapshot(): Map<string, CardPlan | string[]> {
    const cards = this.#opts.cards.list().filter((c) => c.source.type === "story");
    return new Map(cards.map((c) => [c.cardId, madeOf(c)]));
  }

  /**
   * What happened to each of the story's cards since `before` (a snapshot), once the runs under way
   * are done: whichever run wrote a card (the import's own load, or the folder watcher's after it),
   * the answer is the card as it was before against the card as it is.
   */
  async since(storyId: string, before: Map<string, CardPlan | string[]>): Promise<StoryCardRewrite[]> {
    await this.latest(storyId).catch(() => undefined);
    const states = this.states(storyId);
    return this.#opts.cards.forStory(storyId).map((card) => {
      const {cardId, title} = card;
      const failure = this.#failures.get(cardId);
      if (failure) {
        const pending = states.find((s) => s.cardId === cardId)?.changes ?? [];
        return {cardId, title, result: "failed", changes: pending, error: failure.error};
      }
      const was = before.get(cardId);
      const made = madeOf(card);
      const changes = was === undefined || Array.isArray(made) ? [] : planChanges(was, made);
      const same = JSON.stringify(was) === JSON.stringify(made);
      return {cardId, title, result: same ? "unchanged" : "rewritten", changes};
    });
  }

  /** Rewrite the story's cards that differ from it (after the run before, if one is under way). */
  update(storyId: string, icon?: {icon: string | undefined}): Promise<StoryCardRewrite[]> {
    // A chosen icon is kept until every card has it: a card Yoto refused gets it on a later try.
    if (icon) this.#chosen.set(storyId, icon);
    const before = this.#runs.get(storyId) ?? Promise.resolve([]);
    const run = before.catch(() => []).then(() => this.#run(storyId, this.#chosen.get(storyId)));
    this.#runs.set(storyId, run);
    return run;
  }

  /** Choose the icon of a story's cards (undefined: the story's own) and write them with it. */
  async chooseIcon(storyId: string, icon: string | undefined): Promise<StoryCardRewrite[]> {
    if (this.#opts.cards.forStory(storyId).length === 0) throw noCardForIcon(storyId);
    const results = await this.update(storyId, {icon});
    const failed = results.find((r) => r.result === "failed");
    if (failed) throw iconNotWritten(failed, this.states(storyId));
    return results;
  }

  /** Each of the story's cards: up to date, or what differs and why it is not rewritten yet. */
  states(storyId: string): StoryCardState[] {
    if (!this.#opts.stories.has(storyId)) return [];
    const story = this.#opts.stories.get(storyId);
    return this.#opts.cards.forStory(storyId).map((card) => {
      const {mode, changes} = this.#differences(card, story, this.#chosen.get(storyId));
      const failure = this.#failures.get(card.cardId);
      const state: StoryCardState = {
        cardId: card.cardId,
        title: card.title,
        mode,
        upToDate: changes.length === 0,
        changes,
      };
      if (failure && changes.length > 0) {
        state.error = failure.error;
        state.retryAt = new Date(failure.retryAt).toISOString();
      }
      return state;
    });
  }

  /** A card Yoto has not taken the story's new version on yet has no chapter for a new start: say why. */
  startable(card: OwnCard, sceneId: string): void {
    if (card.source.type !== "story" || card.source.scenes.includes(sceneId)) return;
    const state = this.states(card.source.story).find((s) => s.cardId === card.cardId);
    if (!state?.error) return;
    throw new AppError(
      "card_not_written",
      `Card '${card.title}' still holds the story as it was: Yoto did not take the new version (${state.error}); it is tried again at ${state.retryAt}, or press Make again`,
      {status: 503, expose: true},
    );
  }

  /** The icon chosen for the story's cards (the first card's: they are chosen together). */
  cardIcon(storyId: string): string | undefined {
    const source = this.#opts.cards.forStory(storyId)[0]?.source;
    return source?.type === "story" ? source.icon : undefined;
  }

  /**
   * Cards that could not be rewritten, and cards of a story no longer loaded (its file deleted, or
   * its id changed), for health: what the family must know its cards do not play.
   */
  failing(): string[] {
    const refused = [...this.#failures.entries()].map(([cardId, f]) => {
      const title = this.#opts.cards.find(cardId)?.title ?? cardId;
      return `card '${title}' (${cardId}) could not be rewritten (${f.error}); tried again at ${new Date(f.retryAt).toISOString()}`;
    });
    const orphans = this.#opts.cards
      .list()
      .filter((c) => c.source.type === "story" && !this.#opts.stories.has(c.source.story))
      .map(
        (c) =>
          `card '${c.title}' (${c.cardId}) plays story '${(c.source as StoryOrigin).story}', which is not loaded: put the story back, or delete the card`,
      );
    return [...refused, ...orphans];
  }

  async #run(storyId: string, icon?: {icon: string | undefined}): Promise<StoryCardRewrite[]> {
    if (this.#stopped || !this.#opts.stories.has(storyId)) return [];
    const results: StoryCardRewrite[] = [];
    for (const card of this.#opts.cards.forStory(storyId)) {
      // Read again for each card: the story may have loaded anew while the one before was written.
      const story = this.#opts.stories.get(storyId);
      const source = card.source as StoryOrigin;
      const chosen = icon ? icon.icon : source.icon;
      const {mode, changes} = this.#differences(card, story, {icon: chosen});
      if (changes.length === 0) {
        this.#clear(card.cardId);
        results.push({cardId: card.cardId, title: card.title, result: "unchanged", changes});
        continue;
      }
      try {
        await this.#opts.cards.fromStory(storyId, {
          cardId: card.cardId,
          mode,
          ...(chosen === undefined ? {} : {icon: chosen}),
        });
        this.#clear(card.cardId);
        results.push({cardId: card.cardId, title: this.#title(card), result: "rewritten", changes});
      } catch (err) {
        const error = errorMessage(err);
        this.#failed(storyId, card, error);
        results.push({cardId: card.cardId, title: card.title, result: "failed", changes, error});
      }
    }
    if (results.every((r) => r.result !== "failed")) this.#chosen.delete(storyId);
    if (results.some((r) => r.result !== "unchanged")) this.#opts.bus.emit("story.cardsChanged", {story: storyId});
    return results;
  }

  /**
   * The mode the card is written in now, and what differs. A card made in its story's own mode follows
   * that mode; one made otherwise (linear, say) keeps its own, unless the story can no longer be a
   * card by itself (an ink story, more than 99 scenes): then this service plays it, streamed.
   */
  #differences(card: OwnCard, story: Story, chosen?: {icon: string | undefined}): {mode: StoryMode; changes: string[]} {
    const source = card.source as StoryOrigin;
    let mode = source.mode;
    if (source.made?.storyMode === source.mode && story.mode !== source.mode) mode = story.mode;
    if (mode !== "streamed" && (story.ink !== undefined || story.scenes.length > MAX_SCENES)) mode = "streamed";
    if (mode !== source.mode) return {mode, changes: [`${describeMode(mode)} now (was ${describeMode(source.mode)})`]};
    const now = cardPlan(story, mode, chosen ? chosen.icon : source.icon, (scene) =>
      this.#opts.seconds?.(story, scene),
    );
    return {mode, changes: planChanges(source.made ?? source.scenes, now)};
  }

  #title(card: OwnCard): string {
    return this.#opts.cards.find(card.cardId)?.title ?? card.title;
  }

  #failed(storyId: string, card: OwnCard, error: string): void {
    const previous = this.#failures.get(card.cardId);
    if (previous) clearTimeout(previous.timer);
    const attempts = (previous?.attempts ?? 0) + 1;
    const delays = this.#opts.retryMs ?? CARD_RETRY_MS;
    const delay = delays[Math.min(attempts, delays.length) - 1] ?? 1_800_000;
    const timer = setTimeout(() => void this.update(storyId), delay);
    timer.unref();
    this.#failures.set(card.cardId, {error, retryAt: Date.now() + delay, attempts, timer});
    this.#opts.log.warning(
      `Card '${card.title}' (${card.cardId}) could not be rewritten with story '${storyId}' as it is now (${error}); trying again in ${Math.round(delay / 1000)} s`,
    );
  }

  #clear(cardId: string): void {
    const failure = this.#failures.get(cardId);
    if (!failure) return;
    clearTimeout(failure.timer);
    this.#failures.delete(cardId);
  }
}

function describeMode(mode: StoryMode): string {
  return mode === "streamed" ? "played by this service (streamed)" : `a card by itself (${mode})`;
}

/** A story with no card yet has no icon to choose: the card carries it. */
function noCardForIcon(storyId: string): AppError {
  return new AppError(
    "story_has_no_card",
    `Story '${storyId}' has no card yet: make its card first (Make card, or POST /api/cards {"from": "story", "story": "${storyId}"}), then choose its icon`,
    {status: 409, expose: true},
  );
}

/** Yoto would not take a card with its new icon: the icon is kept, and written on a later try. */
function iconNotWritten(failed: StoryCardRewrite, states: StoryCardState[]): AppError {
  const retryAt = states.find((s) => s.cardId === failed.cardId)?.retryAt;
  return new AppError(
    "card_not_written",
    `Card '${failed.title}' (${failed.cardId}) could not be written with the icon (${failed.error}): the icon is kept, and the card is tried again${retryAt ? ` at ${retryAt}` : ""}`,
    {status: 502, expose: true},
  );
}

/** What a card was written from: its plan, or (made before plans were kept) its scene ids. */
function madeOf(card: OwnCard): CardPlan | string[] {
  const source = card.source as StoryOrigin;
  return source.made ?? source.scenes;
}
