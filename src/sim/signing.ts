import {createHmac, timingSafeEqual} from "node:crypto";
import type {SimCard} from "./content.js";

const KEY = "simulated-cdn-key";

/** What a read-back needs to sign links: the simulator's own origin, how long links live, and which generation. */
export interface LinkIssuer {
  baseUrl: string;
  /** How long a signed link stays valid (Yoto: about an hour, reference §10.12). */
  seconds: number;
  /** Carried inside the Policy so `expireSignedLinks()` can void every link issued before it. */
  generation: number;
  now?: number;
}

/**
 * A card as Yoto reads it back: the family's uploaded tracks (`yoto:#<sha>`) as signed, expiring
 * links, icons (`yoto:#<mediaId>`) as card-content links, every other URL (our streams) as stored.
 * Yoto serves these from secure-media.yotoplay.com and card-content.yotoplay.com; the simulator
 * serves them from its own origin (`/secure-media/yoto/…`, `/card-content/yoto/…`) so a client
 * can fetch the bytes. A client that writes a signed link back as it is breaks the card an hour
 * later — the simulator stores exactly what it is sent, so tests can see that.
 */
export function readBack(card: SimCard, links: LinkIssuer): SimCard {
  const expires = Math.floor((links.now ?? Date.now()) / 1000) + links.seconds;
  const icon = (display: {icon16x16?: string | null} | undefined): {display?: {icon16x16?: string | null}} => {
    const mediaId = /^yoto:#([A-Za-z0-9_-]+)$/.exec(display?.icon16x16 ?? "")?.[1];
    if (!display || !mediaId) return {};
    return {display: {...display, icon16x16: `${links.baseUrl}/card-content/yoto/${mediaId}`}};
  };
  return {
    ...card,
    content: {
      ...card.content,
      chapters: card.content.chapters.map((chapter) => ({
        ...chapter,
        ...icon(chapter.display),
        tracks: chapter.tracks.map((track) => ({
          ...track,
          ...icon(track.display),
          trackUrl: signedTrack(track.trackUrl, expires, links),
        })),
      })),
    },
  };
}

/**
 * The family's cards as `GET /content/mine` and the library list them, read back and serialised
 * once and reused while they may be: the same card objects (a write replaces one), the same origin
 * and generation, and links that still live at least 95 % of their time. A card written since is
 * read back alone. Yoto's listing is served by a fleet far from the home; re-signing thousands of
 * tracks per listing in the simulator's one thread held every other player's acks behind it, which
 * no real player sees.
 */
export class ReadBacks {
  readonly #made = new WeakMap<SimCard, {key: string; expires: number; json: string}>();
  readonly #entries = new WeakMap<SimCard, string>();
  #mine?: {cards: readonly SimCard[]; key: string; expires: number; body: Buffer};
  #library?: {cards: readonly SimCard[]; body: Buffer};

  /** `{"cards":[…]}` for these cards, each read back as `readBack` does. */
  listing(cards: readonly SimCard[], links: LinkIssuer): Buffer {
    const expires = Math.floor((links.now ?? Date.now()) / 1000) + links.seconds;
    const key = `${links.baseUrl}|${links.generation}|${links.seconds}`;
    const fresh = (made: {key: string; expires: number}) =>
      made.key === key && made.expires >= expires - Math.floor(links.seconds / 20);
    const kept = this.#mine;
    if (kept && fresh(kept) && sameCards(kept.cards, cards)) return kept.body;
    const json = (card: SimCard) => {
      const made = this.#made.get(card);
      if (made && fresh(made)) return made.json;
      const text = JSON.stringify(readBack(card, links));
      this.#made.set(card, {key, expires, json: text});
      return text;
    };
    const body = Buffer.from(`{"cards":[${cards.map(json).join(",")}]}`);
    this.#mine = {cards, key, expires, body};
    return body;
  }

  /** `{"cards":[…]}` as the family library lists them (`entry` makes one card's). */
  library(cards: readonly SimCard[], entry: (card: SimCard) => unknown): Buffer {
    const kept = this.#library;
    if (kept && sameCards(kept.cards, cards)) return kept.body;
    const json = (card: SimCard) => {
      const made = this.#entries.get(card) ?? JSON.stringify(entry(card));
      this.#entries.set(card, made);
      return made;
    };
    const body = Buffer.from(`{"cards":[${cards.map(json).join(",")}]}`);
    this.#library = {cards, body};
    return body;
  }
}

function sameCards(a: readonly SimCard[], b: readonly SimCard[]): boolean {
  return a.length === b.length && a.every((card, i) => card === b[i]);
}

function signedTrack(trackUrl: string, expires: number, links: LinkIssuer): string {
  const sha = /^yoto:#([A-Za-z0-9_-]+)$/.exec(trackUrl)?.[1];
  if (!sha) return trackUrl;
  const resource = `${links.baseUrl}/secure-media/yoto/${sha}`;
  // CloudFront's custom-policy shape, with the simulator's generation alongside the statement.
  const policy = Buffer.from(
    JSON.stringify({
      Statement: [{Resource: resource, Condition: {DateLessThan: {"AWS:EpochTime": expires}}}],
      Generation: links.generation,
    }),
  ).toString("base64url");
  return `${resource}?Expires=${expires}&Policy=${policy}&Signature=${sign(resource, expires, policy)}&Key-Pair-Id=KSIMULATOR#sha256=${sha}`;
}

function sign(resource: string, expires: number | string, policy: string): string {
  return createHmac("sha256", KEY).update(`${resource}${expires}${policy}`).digest("base64url");
}

/**
 * Whether a request for `resource` with these query parameters carries a valid link: signature
 * over resource, Expires and Policy; not expired; not from a generation voided since.
 */
export function checkSignedLink(
  resource: string,
  query: {Expires?: unknown; Policy?: unknown; Signature?: unknown},
  minGeneration: number,
  now = Date.now(),
): boolean {
  const {Expires: expires, Policy: policy, Signature: signature} = query;
  if (typeof expires !== "string" || typeof policy !== "string" || typeof signature !== "string") return false;
  const expected = Buffer.from(sign(resource, expires, policy));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 < now) return false;
  try {
    const generation = (JSON.parse(Buffer.from(policy, "base64url").toString()) as {Generation?: unknown}).Generation;
    return typeof generation === "number" && generation >= minGeneration;
  } catch {
    return false;
  }
}

/** Whether a track URL is one of those signed links and has expired (the player cannot fetch it). */
export function expiredSignedLink(trackUrl: string, now = Date.now()): boolean {
  let url: URL;
  try {
    url = new URL(trackUrl);
  } catch {
    return false;
  }
  // The simulator's own links, and Yoto's real host should one be stored.
  if (!url.pathname.startsWith("/secure-media/") && url.hostname !== "secure-media.yotoplay.com") return false;
  const expires = Number(/^\d{1,12}$/.exec(url.searchParams.get("Expires") ?? "")?.[0]);
  return !Number.isFinite(expires) || expires * 1000 < now;
}
