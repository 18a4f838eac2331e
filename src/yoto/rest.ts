import {setTimeout} from "node:timers/promises";
import {errorMessage} from "../core/errors.js";
import {type HttpAnswer, httpRequest} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";
import {mergeCard} from "./cardMerge.js";
import {type CardListKind, CardTitleLists, type ListedCard} from "./cardTitleLists.js";
import {unsignCard} from "./signedMedia.js";

/** A device as `GET /device-v2/devices/mine` lists it (reference §2.1). */
export interface YotoDevice {
  deviceId: string;
  name: string;
  description?: string;
  online: boolean;
  deviceType: string;
  deviceFamily: string;
  deviceGroup?: string;
  releaseChannel?: string;
  generation?: string;
  formFactor?: string;
}

/** An icon as Yoto lists it; `url` is `{}` when an identical image was already stored. */
export interface YotoIcon {
  mediaId: string;
  displayIconId?: string;
  title?: string;
  url?: string | Record<string, never>;
  public?: boolean;
  publicTags?: string[];
  [key: string]: unknown;
}
export type UploadedIcon = YotoIcon & {new?: boolean};

export type DeviceConfig = Record<string, unknown>;
export type Card = {
  cardId: string;
  title: string;
  content: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
};

/** A refused API call, with the status and Yoto's own message. */
export class YotoApiError extends Error {
  /** Its message is for the user whatever the status: it says what Yoto answered, or that it did not. */
  readonly expose = true;

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "YotoApiError";
  }

  /**
   * What our own API answers for it: Yoto out of reach or busy is 503 (try again), Yoto failing
   * is 502 (the upstream's fault), Yoto's refusals keep their status. `status` 0: no answer.
   */
  get responseStatus(): number {
    if (this.status === 0 || this.status === 429) return 503;
    // 401: Yoto refused our login, which is not the panel's own login failing.
    if (this.status >= 500 || this.status < 400 || this.status === 401) return 502;
    return this.status;
  }
}

export interface TokenSource {
  accessToken(): Promise<string>;
  invalidate(token: string): void;
}

export interface RestOptions {
  apiUrl: string;
  tokens: TokenSource;
  log: Logger;
  timeoutMs?: number;
  /** Attempts for 5xx and network failures, with exponential backoff from `retryBaseMs`. */
  attempts?: number;
  retryBaseMs?: number;
  /** What reads the card lists off the event loop (its own by default). */
  cardLists?: Pick<CardTitleLists, "read" | "close">;
}

/** Typed calls to Yoto's REST API, one function per endpoint. */
export class YotoRest {
  readonly #opts: RestOptions;
  readonly #cardLists: Pick<CardTitleLists, "read" | "close">;
  /** The API's own origin when it is not Yoto's (the simulator), whose media links are Yoto's too. */
  readonly cloudOrigins: readonly string[];

  constructor(opts: RestOptions) {
    this.#opts = opts;
    this.#cardLists = opts.cardLists ?? new CardTitleLists();
    const origin = new URL(opts.apiUrl).origin;
    this.cloudOrigins = /(^|\.)yotoplay\.com$/.test(new URL(opts.apiUrl).hostname) ? [] : [origin];
  }

  async devices(): Promise<YotoDevice[]> {
    return (await this.request<{devices: YotoDevice[]}>("GET", "/device-v2/devices/mine")).devices ?? [];
  }

  async deviceConfig(deviceId: string): Promise<{config: DeviceConfig; [key: string]: unknown}> {
    return (await this.request<{device: {config: DeviceConfig}}>("GET", `/device-v2/${enc(deviceId)}/config`)).device;
  }

  /**
   * Change some settings. Yoto's PUT replaces the whole block and resets what it leaves out, so
   * this reads the current block, merges, and writes it all back. `changes` may be worked out from
   * the block as read (an alarm's switch rewrites the whole `alarms` array).
   */
  async updateConfig(
    deviceId: string,
    changes: DeviceConfig | ((current: DeviceConfig) => DeviceConfig),
  ): Promise<DeviceConfig> {
    const {config} = await this.deviceConfig(deviceId);
    const current = typeof config === "object" && config !== null ? config : {};
    const merged = {...current, ...(typeof changes === "function" ? changes(current) : changes)};
    await this.request("PUT", `/device-v2/${enc(deviceId)}/config`, {deviceId, config: merged});
    return merged;
  }

  async content(cardId: string, signal?: AbortSignal): Promise<Card> {
    return (await this.request<{card: Card}>("GET", `/content/${enc(cardId)}`, undefined, undefined, signal)).card;
  }

  /**
   * Any card the family can play, theirs or not (a shop or physical card): `/content/{id}` answers
   * 404 for cards the family did not make, `/card/{id}` reads them all (reference §10.9).
   */
  async card(cardId: string): Promise<{card: Card; ownership?: Record<string, unknown>}> {
    const body = await this.request<{card?: Card; ownership?: Record<string, unknown>}>("GET", `/card/${enc(cardId)}`);
    if (!body.card || typeof body.card !== "object")
      throw new YotoApiError(502, `Yoto answered GET /card/${cardId} without a card`);
    return {card: body.card, ...(body.ownership ? {ownership: body.ownership} : {})};
  }

  /** The family's library (shop, physical and shared cards, and their own), titles under `card.title`. */
  async familyLibrary(): Promise<ListedCard[]> {
    return (await this.#cardList("/card/family/library", "library")) ?? [];
  }

  /**
   * The ids and titles of the family's own cards, read off the event loop (`CardTitleLists`): the
   * card list is re-read every 30 s. An answer without the list is an error, as for `myContent`.
   */
  async myCardTitles(): Promise<ListedCard[]> {
    const cards = await this.#cardList("/content/mine", "mine");
    if (!cards) throw new YotoApiError(502, "Yoto answered GET /content/mine without a list of cards");
    return cards;
  }

  /** Ends the thread the card lists are read on (the players stop); a later read starts another. */
  close(): Promise<void> {
    return this.#cardLists.close();
  }

  async #cardList(path: string, kind: CardListKind): Promise<ListedCard[] | undefined> {
    // Not JSON, or no list in it: undefined, which each caller words. A reader that failed under
    // the read (the service stopping) is an error: never an empty list, which would read as no cards.
    return this.request("GET", path, undefined, undefined, undefined, (body) =>
      this.#cardLists.read(body, kind).catch((err: Error) => {
        if (err instanceof SyntaxError) return undefined;
        throw new YotoApiError(
          0,
          `The card list from Yoto could not be read here (${err.message}); it is read again shortly`,
        );
      }),
    );
  }

  /** The family library's groups, as Yoto sends them (parsed by cardGroups.ts: two envelopes exist). */
  async cardGroups(): Promise<unknown> {
    return this.request<unknown>("GET", "/card/family/library/groups");
  }

  /** The family's own cards. An answer without the list is an error, never "no cards" (that would read as all deleted). */
  async myContent(signal?: AbortSignal): Promise<Card[]> {
    const body = await this.request<{cards?: unknown}>("GET", "/content/mine", undefined, undefined, signal);
    if (!Array.isArray(body.cards))
      throw new YotoApiError(502, "Yoto answered GET /content/mine without a list of cards");
    return body.cards.filter((card): card is Card => typeof card === "object" && card !== null);
  }

  /**
   * Every write of a card goes through here. Yoto reads its own tracks and icons back as signed
   * URLs that expire within the hour; written back as they are, the card breaks once they do, so
   * they are turned back into `yoto:#<sha>` references first (reference §10.12).
   */
  async createContent(card: Omit<Card, "cardId"> & {cardId?: string}): Promise<Card> {
    return (await this.request<{card: Card}>("POST", "/content", unsignCard(card, this.cloudOrigins))).card;
  }

  /** Update a card without dropping what we did not set (icons, covers, events): read, merge, write. */
  async updateContent(cardId: string, changes: Partial<Card>): Promise<Card> {
    return this.createContent(mergeCard(await this.content(cardId), changes));
  }

  async deleteContent(cardId: string): Promise<void> {
    await this.request("DELETE", `/content/${enc(cardId)}`);
  }

  async publicIcons(): Promise<YotoIcon[]> {
    return (await this.request<{displayIcons: YotoIcon[]}>("GET", "/media/displayIcons/user/yoto")).displayIcons ?? [];
  }

  async userIcons(): Promise<YotoIcon[]> {
    return (await this.request<{displayIcons: YotoIcon[]}>("GET", "/media/displayIcons/user/me")).displayIcons ?? [];
  }

  async uploadIcon(png: Buffer, filename: string): Promise<UploadedIcon> {
    const path = `/media/displayIcons/user/me/upload?autoConvert=false&filename=${encodeURIComponent(filename)}`;
    return (await this.request<{displayIcon: UploadedIcon}>("POST", path, png, "image/png")).displayIcon;
  }

  async uploadCover(image: Buffer, coverType = "myo"): Promise<{mediaId: string; mediaUrl: string}> {
    const path = `/media/coverImage/user/me/upload?coverType=${coverType}&autoconvert=true`;
    return (await this.request<{coverImage: {mediaId: string; mediaUrl: string}}>("POST", path, image, "image/png"))
      .coverImage;
  }

  /**
   * One call with the account's token: 5xx and network failures are retried with backoff; a 401
   * marks the token bad and is retried once with a fresh one; other 4xx surface at once.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
    /** Stops waiting between attempts (a stopping service does not sit out a Retry-After). */
    signal?: AbortSignal,
    /** How a successful answer's bytes are read; as JSON text by default. */
    read?: (body: Buffer) => Promise<T>,
  ): Promise<T> {
    const attempts = this.#opts.attempts ?? 4;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.#opts.tokens.accessToken();
      let res: HttpAnswer;
      try {
        res = await httpRequest(new URL(path, this.#opts.apiUrl), {
          method,
          headers: {Authorization: `Bearer ${token}`, ...(body === undefined ? {} : {"Content-Type": contentType})},
          body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
          timeoutMs: this.#opts.timeoutMs ?? 15_000,
          // The public icon list is the largest answer Yoto gives (a few MB).
          maxBytes: 32 * 1024 * 1024,
        });
      } catch (err) {
        if (attempt >= attempts)
          throw new YotoApiError(
            0,
            `Yoto's API could not be reached (${errorMessage(err)}): check this machine's internet connection, then try again`,
          );
        await this.#backoff(attempt, `${method} ${path}`, errorMessage(err), undefined, signal);
        continue;
      }
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        this.#opts.tokens.invalidate(token);
        attempt--;
        continue;
      }
      if (res.status >= 500 && attempt < attempts) {
        await this.#backoff(attempt, `${method} ${path}`, `HTTP ${res.status}`, undefined, signal);
        continue;
      }
      // Too many requests: wait as long as Yoto asks (within reason), then carry on.
      if (res.status === 429 && attempt < attempts) {
        await this.#backoff(attempt, `${method} ${path}`, "HTTP 429", retryAfterMs(res.headers["retry-after"]), signal);
        continue;
      }
      if (res.ok && read) return read(res.body);
      const text = res.text();
      const parsed = text ? safeJson(text) : {};
      if (!res.ok) {
        const message = yotoErrorMessage(parsed) ?? text.slice(0, 200);
        throw new YotoApiError(
          res.status,
          `Yoto answered ${res.status} to ${method} ${path.split("?")[0]}: ${message}`,
        );
      }
      return parsed as T;
    }
  }

  async #backoff(attempt: number, what: string, why: string, askedMs?: number, signal?: AbortSignal): Promise<void> {
    const delay = askedMs ?? (this.#opts.retryBaseMs ?? 500) * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
    this.#opts.log.warning(`${what} failed (${why}); retrying in ${Math.round(delay)} ms`);
    await setTimeout(delay, undefined, signal ? {signal} : {}).catch(() => {
      throw new YotoApiError(0, `${what} was given up: the service is stopping`);
    });
  }
}

// Longer waits than this are not worth holding a request for: the caller hears Yoto is busy.
const MAX_RETRY_AFTER_MS = 60_000;

/** `Retry-After` in seconds (Yoto's and AWS's form); a date or nonsense falls back to our backoff. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** Yoto's documented error body is `{"error": {"code", "message"}}`; older answers say `{message}`. */
export function yotoErrorMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const {error, message} = body as {error?: unknown; message?: unknown};
  if (typeof error === "object" && error !== null) {
    const inner = error as {message?: unknown; code?: unknown};
    if (typeof inner.message === "string" && inner.message !== "") return inner.message.slice(0, 300);
    if (typeof inner.code === "string") return inner.code.slice(0, 100);
  }
  if (typeof error === "string" && error !== "") return error.slice(0, 300);
  return typeof message === "string" ? message.slice(0, 300) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {message: text.slice(0, 200)};
  }
}
