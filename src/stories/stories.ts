import type {TrackSource} from "../cards/cardJson.js";
import type {StoryCardSource, StoryTrack} from "../cards/sources.js";
import {badRequest, errorMessage, notFound} from "../core/errors.js";
import type {Service} from "../core/service.js";
import type {Start} from "../gate/types.js";
import type {NarrationProgress, StoryImported} from "../shared/api/stories.js";
import {CardFollower} from "./cardFollower.js";
import {StoryCardUpkeep} from "./cardUpkeep.js";
import {CHANGED_SCENE, GoneScenes} from "./goneScenes.js";
import {type ScenePlays, sceneAudio, sceneSeconds, trackMeasure} from "./model/sceneAudio.js";
import {MAX_SCENES, type Scene, type Story, type StoryMode} from "./model/story.js";
import {storyCard} from "./model/storyCard.js";
import type {StoriesOptions, StreamedPlayer} from "./storiesOptions.js";
import {StoryFiles} from "./storyFiles.js";
import {StoryImports} from "./storyImports.js";
import {StoryMoves} from "./storyMoves.js";
import {type StorySession, StoryTracker} from "./tracker.js";

export type {StoriesOptions, StoryNarrator, StreamedPlayer} from "./storiesOptions.js";

/**
 * Choose-your-own-adventure stories, the family's face: the loaded story files, what each scene
 * plays, their cards, their import and narration, and where every player is in them (a card story's
 * players followed by the CardFollower, a streamed story's by its player).
 */
export class Stories implements Service, StoryCardSource {
  readonly name = "stories";
  readonly tracker: StoryTracker;
  /** The story files of rules_dir, handed over by the folder's reader at every load. */
  readonly files: StoryFiles;
  /** Keeps each story's cards playing the story as it loads now. */
  readonly cardUpkeep: StoryCardUpkeep;
  readonly #opts: StoriesOptions;
  #stories = new Map<string, Story>();
  readonly #follower: CardFollower;
  readonly #gone: GoneScenes;
  readonly #moves: StoryMoves;
  readonly #imports: StoryImports;
  #streamed?: StreamedPlayer;

  constructor(opts: StoriesOptions) {
    this.#opts = opts;
    this.tracker = new StoryTracker((story, sceneId) => {
      const scene = story.scenes.find((s) => s.id === sceneId);
      return scene ? sceneSeconds(this.sceneAudio(story, scene), opts.streams, opts.duration) : undefined;
    });
    this.files = new StoryFiles(opts.streams, (stories, failing) => {
      this.setStories(stories, failing);
      // Narrated ahead of time: a child's first press on a new story finds its scenes made.
      opts.narration?.setStories(this.list());
      this.#gone.prepare(this.list(), (id) => opts.cards.forStory(id).length > 0);
      this.cardUpkeep.storiesLoaded(this.list());
    });
    this.#follower = new CardFollower(this.tracker, {...opts, stories: this});
    this.cardUpkeep = new StoryCardUpkeep({
      ...opts,
      stories: this,
      retryMs: opts.cardRetryMs,
      seconds: (story, scene) => this.#measure(story, scene).duration,
    });
    this.#moves = new StoryMoves({
      ...opts,
      tracker: this.tracker,
      follower: this.#follower,
      cardUpkeep: this.cardUpkeep,
      story: (id) => this.get(id),
      session: (player) => this.session(player),
      streamed: () => this.#streamed,
    });
    this.#imports = new StoryImports({...opts, cardUpkeep: this.cardUpkeep, story: (id) => this.get(id)});
    this.#gone = new GoneScenes({
      ...opts,
      speak: (story) => this.sceneToServe(story, CHANGED_SCENE),
      duration: opts.duration,
    });
  }

  async start(): Promise<void> {
    this.#opts.bus.on(this, "player.changed", ({player}) => this.#follower.onPlayer(player));
    this.#opts.bus.on(this, "player.removed", ({id}) => this.tracker.forget(id));
    // Narration made: the story's cards take its lengths (the Yoto app shows them).
    this.#opts.bus.on(this, "story.narrationProgress", ({story, narration}) => {
      if (narration.state !== "narrating" && this.#opts.cards.forStory(story).length > 0)
        void this.cardUpkeep.update(story);
    });
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    this.#follower.clear();
    this.cardUpkeep.stop();
    this.#gone.stop();
    // An import reading in its thread is ended with the service.
    await this.#opts.importer?.stop?.();
  }

  health() {
    const details = {stories: this.#stories.size, sessions: this.tracker.all().filter((s) => s.active).length};
    // A card left on an old version of its story plays the old branches: the family must know.
    const failing = this.cardUpkeep.failing();
    return failing.length > 0 ? {degraded: true, error: failing.join("; "), details} : {details};
  }

  /** The stories of the latest rules load; a story whose file now fails keeps its last good version. */
  setStories(stories: Story[], failing: string[] = []): void {
    const next = new Map(stories.map((s) => [s.id, s]));
    for (const id of failing) {
      const previous = this.#stories.get(id);
      if (previous && !next.has(id)) next.set(id, previous);
    }
    this.#stories = next;
  }

  list(): Story[] {
    return [...this.#stories.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): Story {
    const story = this.#stories.get(id);
    if (!story) {
      const known = [...this.#stories.keys()];
      throw notFound(
        `No story '${id}'${known.length ? ` (stories: ${known.join(", ")})` : ": add a story: file to rules_dir"}`,
        "unknown_story",
      );
    }
    return story;
  }

  has(id: string): boolean {
    return this.#stories.has(id);
  }

  /**
   * What a scene plays now, with a `say` scene's narration only if it is made already (the scene's
   * length, the library's Stories section).
   */
  sceneAudio(story: Story, scene: Scene): ScenePlays {
    return sceneAudio(story, scene, {
      resolveRefs: (refs) => this.#opts.streams.resolveRefs(refs),
      narrated: (s, sc) => this.#opts.narration?.cachedItem(s, sc),
    });
  }

  /**
   * What a scene plays when a player asks for it: a `say` scene's narration is made now if need be.
   * A streamed story started again because it changed under the player's place says so first.
   */
  async sceneToServe(story: Story, scene: Scene & {restarted?: boolean}): Promise<ScenePlays> {
    if (scene.restarted) {
      const {restarted: _, ...start} = scene;
      return this.#gone.lineThen(story, await this.sceneToServe(story, start));
    }
    if (!("say" in scene.audio)) return this.sceneAudio(story, scene);
    const narration = this.#opts.narration;
    if (!narration) return {silence: "this service narrates no stories"};
    try {
      return {items: [await narration.audioFor(story, scene)]};
    } catch (err) {
      return {silence: `its narration failed, ${errorMessage(err)}`};
    }
  }

  /**
   * Import a story file from another tool (Twine, ink) into rules_dir; it is loaded, and its
   * narration begun, before this answers: the answer says how far that is.
   */
  import(filename: string, bytes: Buffer, opts: {replace?: boolean} = {}): Promise<StoryImported> {
    return this.#imports.import(filename, bytes, opts);
  }

  /** Choose the icon of the story's cards (undefined: the story's own), and write them with it. */
  setCardIcon(storyId: string, icon: string | undefined) {
    return this.cardUpkeep.chooseIcon(this.get(storyId).id, icon);
  }

  /** A story's narration so far (null for one with nothing to narrate). */
  narrationOf(storyId: string): NarrationProgress | null {
    return this.#opts.narration?.progress(storyId) ?? null;
  }

  /** Narrate a story's scenes again where they failed: its progress (null for nothing to narrate). */
  narrateAgain(storyId: string): NarrationProgress | null {
    return this.#opts.narration?.retry(this.get(storyId).id) ?? null;
  }

  /** A story as a card (Cards' story source): its scenes streaming from the tracks Cards makes. */
  storyCard(storyId: string, mode: StoryMode | undefined, track: (scene: StoryTrack) => TrackSource, icon?: string) {
    const story = this.get(storyId);
    if (mode && mode !== "streamed" && (story.ink || story.scenes.length > MAX_SCENES))
      throw badRequest(
        `Story '${storyId}' ${story.ink ? "is an ink story" : `has ${story.scenes.length} scenes`}: this service plays it (mode streamed), not a card by itself (${mode})`,
        "story_streamed_only",
      );
    return storyCard(story, mode, track, {icon, measure: (scene) => this.#measure(story, scene)});
  }

  /** A scene's length and size as its track reports them (sceneAudio.ts). */
  #measure(story: Story, scene: Scene) {
    return trackMeasure(this.sceneAudio(story, scene), this.#opts.duration, this.#opts.size);
  }

  /** Who plays streamed stories (registered by the composition root, as Cards' sources are). */
  setStreamedPlayer(player: StreamedPlayer): void {
    this.#streamed = player;
  }

  sessions(): StorySession[] {
    return [...this.tracker.all(), ...(this.#streamed?.sessions() ?? [])];
  }

  /** The player's current (or last) story session. */
  session(player: string): StorySession | undefined {
    const found = this.#opts.players
      .list()
      .find((p) => p.id === player || p.name.toLowerCase() === player.toLowerCase());
    const id = found?.id ?? player;
    return this.tracker.get(id) ?? this.#streamed?.sessions().find((s) => s.playerId === id);
  }

  /**
   * A player asks for a scene's audio. Work out which player it is (the one whose scene leads
   * here), record the move if the cloud has not told us yet, and resolve once the rules it
   * triggered have run. The scene returned is what to serve.
   */
  async sceneRequested(storyId: string, sceneId: string): Promise<ScenePlays> {
    const story = this.get(storyId);
    const scene = story.scenes.find((s) => s.id === sceneId);
    // A card still on an older version of its story: it hears so, and starts again.
    if (!scene) return this.#gone.serve(story, sceneId);
    await this.#follower.sceneRequested(story, scene);
    return this.sceneToServe(story, scene);
  }

  /**
   * A streamed story's slot asked for (`/stories/<story>/slots/<n>.mp3`): its scene, undefined once
   * the story has ended; a 404 when this service plays no streamed stories.
   */
  slotRequested(storyId: string, slot: number): Promise<(Scene & {restarted?: boolean}) | undefined> {
    if (!this.#streamed) throw notFound("Streamed stories are not played by this service", "no_streamed_stories");
    return this.#streamed.request(storyId, slot);
  }

  /** Begin a story on a player (through its card, made now if needed), optionally at a scene: a start, asked at the play gate. */
  play(
    player: string,
    storyId: string,
    start: Start,
    opts: {scene?: string; variables?: Record<string, unknown>} = {},
  ) {
    return this.#moves.play(player, storyId, start, opts);
  }

  /** Send a player in a story to another scene (not a button press: no button event): a start, asked at the play gate. */
  goto(player: string, sceneId: string, start: Start): Promise<StorySession> {
    return this.#moves.goto(player, sceneId, start);
  }

  /** Change story variables for the player's session (what `{{ story.variables.* }}` reads). */
  set(player: string, variables: Record<string, unknown>): StorySession {
    return this.#moves.set(player, variables);
  }
}
