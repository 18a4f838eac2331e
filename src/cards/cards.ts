import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Start} from "../gate/types.js";
import type {Library} from "../library/library.js";
import type {LibraryItem} from "../library/types.js";
import {streamPath} from "../links/audioPaths.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {CardSource, OwnCard} from "../shared/api/cards.js";
import type {StoryMode} from "../shared/api/stories.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import {iconRef} from "../yoto/cardKeys.js";
import {mergeCard} from "../yoto/cardMerge.js";
import {type Card, YotoApiError, type YotoRest} from "../yoto/rest.js";
import {bare, describe, icon, linearCard, type TrackSource} from "./cardJson.js";
import {type CardSources, givenTitle, untitledStreamTitle} from "./sources.js";
import "./types.js";

export type {CardSource, OwnCard};

export interface CardsOptions {
  store: StateStore;
  rest: YotoRest;
  links: PublicLinks;
  library: Library;
  streams: Streams;
  /** A stream's card played on a player: the start passes the play gate. */
  players: Pick<GatedPlayers, "command" | "admit">;
  bus?: EventBus;
  log: Logger;
}

export interface CardWrite {
  title?: string;
  /** Update this card instead of making a new one. */
  cardId?: string;
  icon?: string;
}

const NO_PUBLIC_URL =
  "Set 'public_url' first: card tracks stream from this service, so players need an address they can reach (for example https://yoto.example.com:8788)";
const FORMATS: Record<string, string> = {
  "audio/mpeg": "mp3",
  "audio/aac": "aac",
  "audio/mp4": "aac",
  "audio/ogg": "ogg",
};

/**
 * Yoto "Make Your Own" cards whose tracks stream from this service: from a stream, from library
 * items, from a story. Cards we made are remembered with what they were made from.
 */
export class Cards implements Service {
  readonly name = "cards";
  readonly #opts: CardsOptions;
  readonly #cards = new Map<string, OwnCard>();
  readonly #sources: Partial<CardSources> = {};
  #keyv?: StoreNamespace<OwnCard>;

  constructor(opts: CardsOptions) {
    this.#opts = opts;
  }

  /** Stories and feeds say here what cards can be made of them (the composition root does this once). */
  registerSource<K extends keyof CardSources>(kind: K, source: CardSources[K]): void {
    this.#sources[kind] = source;
  }

  async start(): Promise<void> {
    this.#keyv = this.#opts.store.namespace<OwnCard>("cards");
    for (const [id, card] of await this.#opts.store.entries<OwnCard>("cards")) this.#cards.set(id, card);
    this.#opts.bus?.on(this, "feed.refreshed", ({stream, changed}) => {
      if (changed) void this.#followFeed(stream);
    });
  }

  async stop(): Promise<void> {
    this.#opts.bus?.off(this);
    this.#cards.clear();
  }

  health() {
    return {details: {cards: this.#cards.size}};
  }

  list(): OwnCard[] {
    return [...this.#cards.values()].sort((a, b) => a.title.localeCompare(b.title));
  }

  get(cardId: string): OwnCard {
    const card = this.#cards.get(cardId);
    if (!card) throw notFound(`Card '${cardId}' was not made here (cards made here: ${this.#ids()})`, "unknown_card");
    return card;
  }

  find(cardId: string): OwnCard | undefined {
    return this.#cards.get(cardId);
  }

  /**
   * One track that plays the stream's queue as it is when the player asks; for a stream that follows
   * a feed, a chapter per episode instead, so the player's buttons skip between episodes.
   */
  async fromStream(stream: string, opts: CardWrite = {}): Promise<Card> {
    this.#opts.streams.get(stream);
    const title = opts.title ?? (await untitledStreamTitle(this.#sources, stream));
    if (this.#sources.feed?.has(stream)) {
      const body = linearCard(title, this.#episodeTracks(stream, opts.icon));
      return this.#write(body, {type: "feed", stream, ...(opts.icon ? {icon: opts.icon} : {})}, opts.cardId);
    }
    const url = this.#url(streamPath(stream));
    const body = linearCard(title, [{title, url, icon: icon(opts.icon)}]);
    return this.#write(body, {type: "stream", stream}, opts.cardId);
  }

  /** A chapter per library item, each its own signed file URL (any format the library serves). */
  async fromItems(refs: string[], opts: CardWrite = {}): Promise<Card> {
    // A media server's album or audiobook becomes its tracks, each a chapter.
    const ids = this.#opts.streams.resolveRefs(await this.#opts.streams.expandRefs(refs), false);
    const items = ids.map((id) => this.#opts.library.get(id) as LibraryItem);
    const sources = items.map((item) => this.itemTrack(item, item.title, opts.icon));
    const title = opts.title ?? items[0]?.album ?? items[0]?.title ?? "Smart Stream";
    return this.#write(linearCard(title, sources), {type: "items", items: ids}, opts.cardId);
  }

  /** The story as an interactive card (or linear, by its mode or `mode`) streaming each scene. */
  fromStory(storyId: string, opts: CardWrite & {mode?: StoryMode} = {}): Promise<Card> {
    const stories = this.#sources.story;
    if (!stories)
      throw new AppError("no_stories", "Stories are not running, so no story card can be made", {
        status: 503,
        expose: true,
      });
    const {body, origin} = stories.storyCard(
      storyId,
      opts.mode,
      (scene) => ({
        title: scene.title,
        url: this.#url(scene.path),
        icon: scene.icon,
        duration: scene.duration,
        fileSize: scene.fileSize,
      }),
      opts.icon === undefined ? undefined : iconRef(opts.icon),
    );
    if (opts.title) body.title = opts.title;
    return this.#write(body, origin, opts.cardId);
  }

  /** A library item as a card track streaming from this service (its signed file URL). */
  itemTrack(item: LibraryItem, title: string, iconValue?: string): TrackSource {
    return {
      title,
      url: this.#url(this.#opts.links.itemPath(item)),
      format: FORMATS[item.mime] ?? "mp3",
      duration: Math.round(item.duration),
      fileSize: item.size,
      channels: item.channels === 1 ? "mono" : "stereo",
      icon: icon(iconValue),
    };
  }

  /** The feed stream's episodes in play order, titled as the feed titles them. */
  #episodeTracks(stream: string, iconValue?: string): TrackSource[] {
    const episodes = this.#sources.feed?.episodes(stream) ?? [];
    return episodes.flatMap((e) => {
      const item = this.#opts.library.get(e.itemId);
      return item ? [this.itemTrack(item, e.title, iconValue)] : [];
    });
  }

  /**
   * The feed brought news: every card made from it gets the new episodes as its chapters. Read,
   * merge, write, with each chapter matched to the episode it plays (by its audio's address), so an
   * icon or title the family gave an episode in Yoto's app moves with it; the card's own title,
   * cover and settings stay.
   */
  async #followFeed(stream: string): Promise<void> {
    const cards = this.list().filter((c) => c.source.type === "feed" && c.source.stream === stream);
    for (const own of cards) {
      try {
        const current = await this.#opts.rest.content(own.cardId);
        const icon = own.source.type === "feed" ? own.source.icon : undefined;
        const body = linearCard(own.title, this.#episodeTracks(stream, icon));
        type Node = Record<string, unknown> & {key: string; tracks: Array<Record<string, unknown>>};
        const next = body.content as {chapters: Node[]};
        const keyOf = new Map(next.chapters.map((c) => [bare(c.tracks[0]?.trackUrl), c.key]));
        const chapters = ((current.content?.chapters ?? []) as Array<Record<string, unknown>>).flatMap((c) => {
          const tracks = (Array.isArray(c.tracks) ? c.tracks : []) as Array<Record<string, unknown>>;
          const key = keyOf.get(bare(tracks[0]?.trackUrl));
          // An episode gone from the feed leaves the card; one still there takes its new place.
          return key === undefined ? [] : [{...c, key, tracks: tracks.map((t) => ({...t, key}))}];
        });
        // Episodes already on the card keep their icons (an empty one keeps what is there); only
        // new ones get the card's own.
        const held = new Set(chapters.map((c) => c.key));
        const noIcon = (n: Record<string, unknown>) => ({...n, display: {...(n.display as object), icon16x16: null}});
        for (const [i, c] of next.chapters.entries())
          if (held.has(c.key)) next.chapters[i] = {...noIcon(c), key: c.key, tracks: c.tracks.map(noIcon)};
        await this.#opts.rest.createContent(
          mergeCard({...current, content: {...current.content, chapters}}, {content: next as Card["content"]}),
        );
        this.#opts.log.info(
          `Card '${current.title}' (${own.cardId}) now has the feed's ${next.chapters.length} episode${next.chapters.length === 1 ? "" : "s"}`,
        );
      } catch (err) {
        this.#opts.log.warning(
          `Card '${own.title}' (${own.cardId}) could not be given the feed's new episodes (${errorMessage(err)}); it keeps the old ones`,
        );
      }
    }
  }

  /** Cards made from a story, so its players can be followed by their chapter keys. */
  forStory(storyId: string): OwnCard[] {
    return this.list().filter((c) => c.source.type === "story" && c.source.story === storyId);
  }

  /**
   * Put an icon on one chapter (and its tracks, or one track). Read, merge, write: everything else
   * on the card stays as it is.
   */
  async setIcon(cardId: string, target: {chapter: string; track?: string; icon: string}): Promise<Card> {
    const rest = this.#opts.rest;
    const current = await rest.content(cardId);
    const chapters = (current.content.chapters ?? []) as Array<Record<string, unknown>>;
    const chapter = chapters.find((c) => c.key === target.chapter);
    if (!chapter)
      throw notFound(
        `Card '${cardId}' has no chapter '${target.chapter}' (chapters: ${chapters.map((c) => c.key).join(", ") || "none"})`,
        "unknown_chapter",
      );
    const ref = iconRef(target.icon);
    const tracks = (chapter.tracks ?? []) as Array<Record<string, unknown>>;
    if (target.track !== undefined && !tracks.some((t) => t.key === target.track))
      throw notFound(
        `Chapter '${target.chapter}' has no track '${target.track}' (tracks: ${tracks.map((t) => t.key).join(", ")})`,
        "unknown_track",
      );
    const withIcon = (node: Record<string, unknown>) => ({
      ...node,
      display: {...(node.display as object), icon16x16: ref},
    });
    const next = chapters.map((c) =>
      c !== chapter
        ? c
        : {
            ...(target.track === undefined ? withIcon(c) : c),
            tracks: tracks.map((t) => (target.track === undefined || t.key === target.track ? withIcon(t) : t)),
          },
    );
    return rest.createContent({...current, content: {...current.content, chapters: next}});
  }

  /** Stop remembering a card without touching Yoto's copy (it was deleted there, or in a fresh simulator). */
  async forget(cardId: string): Promise<void> {
    await this.#keyv?.delete(cardId);
    this.#dropped(cardId);
  }

  async delete(cardId: string): Promise<void> {
    this.get(cardId);
    try {
      await this.#opts.rest.deleteContent(cardId);
    } catch (err) {
      // Already gone from Yoto (e.g. a retry after forgetting it here failed): forget it now.
      if (!(err instanceof YotoApiError && err.status === 404)) throw err;
    }
    // Forgotten here only once that is saved: a failure (full disk) keeps it listed, and a retry
    // finishes the job.
    await this.#keyv?.delete(cardId);
    this.#dropped(cardId);
  }

  /**
   * Play a stream on a player through the card made for it, making that card the first time. Asked
   * at the play gate first: a refusal makes no card and sends nothing.
   */
  async playStream(player: string, stream: string, start: Start): Promise<OwnCard> {
    const admission = await this.#opts.players.admit(player, start, async () => `The stream '${stream}'`);
    const card = (await this.#streamCard(stream)) ?? this.get((await this.fromStream(stream)).cardId);
    await this.#opts.players.command(player, {command: "play_card", cardId: card.cardId}, admission);
    return card;
  }

  /**
   * The card that streams this stream, as the account has it now. A remembered card deleted from
   * the account (or made on another cloud, as the demo's are) is forgotten; a card on the account
   * that streams it but is not remembered (made before the data folder was reset) is adopted,
   * rather than making a second one.
   */
  async #streamCard(stream: string): Promise<OwnCard | undefined> {
    const playsIt = (c: OwnCard) =>
      (c.source.type === "stream" || c.source.type === "feed") && c.source.stream === stream;
    const mine = this.list().filter(playsIt);
    // The card that names the stream first (streamTitles): the stream plays as it is called.
    const naming = mine.find((c) => givenTitle({title: c.title, source: {stream}}) !== undefined);
    for (const own of naming ? [naming, ...mine.filter((c) => c !== naming)] : mine) {
      try {
        await this.#opts.rest.content(own.cardId);
        return own;
      } catch (err) {
        if (!(err instanceof YotoApiError && (err.status === 404 || err.status === 403))) throw err;
        this.#opts.log.info(`Card '${own.title}' (${own.cardId}) is no longer on the account: forgetting it`);
        await this.forget(own.cardId);
      }
    }
    // Our own stream URL (this service's address, not another instance's stream of that name).
    const ours = this.#opts.links.absolute(streamPath(stream))?.split("?")[0];
    if (!ours) return undefined;
    type Listed = {tracks?: Array<{trackUrl?: unknown}>};
    const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
    const streams = (card: Card) =>
      listOf<Listed>(card.content?.chapters).some((chapter) =>
        listOf<{trackUrl?: unknown}>(chapter.tracks).some(
          (track) => typeof track.trackUrl === "string" && track.trackUrl.split("?")[0] === ours,
        ),
      );
    const found = (await this.#opts.rest.myContent()).find(streams);
    if (!found) return undefined;
    const now = new Date().toISOString();
    const own: OwnCard = {
      cardId: found.cardId,
      title: found.title,
      source: {type: "stream", stream},
      createdAt: now,
      updatedAt: now,
    };
    await this.#keyv?.set(own.cardId, own);
    this.#remembered(own);
    this.#opts.log.info(`Card '${own.title}' (${own.cardId}) on the account streams '${stream}': using it`);
    return own;
  }

  async #write(body: Omit<Card, "cardId">, source: CardSource, cardId?: string): Promise<Card> {
    const rest = this.#opts.rest;
    const card = cardId ? await rest.updateContent(cardId, body) : await rest.createContent(body);
    const now = new Date().toISOString();
    const own: OwnCard = {
      cardId: card.cardId,
      title: card.title,
      source,
      createdAt: this.#cards.get(card.cardId)?.createdAt ?? now,
      updatedAt: now,
    };
    try {
      await this.#keyv?.set(own.cardId, own);
    } catch (err) {
      // A new card we cannot remember would be an orphan on the account, and a retry would make a
      // second one: take it back. An update is simply tried again.
      if (!cardId) await this.#takeBack(own);
      throw err;
    }
    this.#remembered(own);
    this.#opts.log.info(
      `${cardId ? "Updated" : "Created"} card '${own.title}' (${own.cardId}) from ${describe(source)}`,
    );
    return card;
  }

  async #takeBack(own: OwnCard): Promise<void> {
    try {
      await this.#opts.rest.deleteContent(own.cardId);
    } catch (err) {
      this.#opts.log.warning(
        `Card '${own.title}' (${own.cardId}) was made on Yoto but could not be saved here, nor deleted there (${errorMessage(err)}): delete it in the Yoto app`,
      );
    }
  }

  /** A card made, adopted or updated: what is named after it (a stream by its card's title) hears so. */
  #remembered(own: OwnCard): void {
    this.#cards.set(own.cardId, own);
    this.#opts.bus?.emit("card.changed", {cardId: own.cardId, title: own.title, source: own.source});
  }

  #dropped(cardId: string): void {
    const own = this.#cards.get(cardId);
    if (!this.#cards.delete(cardId) || !own) return;
    this.#opts.bus?.emit("card.changed", {cardId, title: own.title, source: own.source, gone: true});
  }

  #url(pathname: string): string {
    const url = this.#opts.links.absolute(pathname);
    if (!url) throw new AppError("no_public_url", NO_PUBLIC_URL, {status: 409});
    return url;
  }

  #ids(): string {
    return [...this.#cards.keys()].join(", ") || "none yet";
  }
}
