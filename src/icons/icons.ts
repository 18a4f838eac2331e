import type {Logger} from "../core/logger.js";
import type {IconEntry} from "../shared/api/cards.js";
import type {QuietCommand} from "../yoto/admission.js";
import {iconRef} from "../yoto/cardKeys.js";
import type {YotoIcon, YotoRest} from "../yoto/rest.js";
import {convertToIcon, validateIcon} from "./png.js";

export type {IconEntry};

export interface IconsOptions {
  rest: YotoRest;
  players: {command(idOrName: string, command: QuietCommand): Promise<unknown>};
  log: Logger;
  /** How long a listing is reused; Yoto's public set changes rarely, the user's only through us. */
  cacheMs?: number;
}

const DEFAULT_CACHE_MS = 10 * 60_000;

/** The 16×16 display icons: Yoto's public set and the family's own, upload, and preview on a player. */
export class Icons {
  readonly #opts: IconsOptions;
  readonly #cache = new Map<"public" | "user", {at: number; icons: Promise<IconEntry[]>}>();

  constructor(opts: IconsOptions) {
    this.#opts = opts;
  }

  /** Both lists, each from cache while fresh; `search` matches title and tags, ignoring case. */
  async list(opts: {search?: string; refresh?: boolean} = {}): Promise<{public: IconEntry[]; user: IconEntry[]}> {
    if (opts.refresh) this.#cache.clear();
    const [pub, user] = await Promise.all([this.#cached("public"), this.#cached("user")]);
    const needle = opts.search?.trim().toLowerCase();
    const match = (i: IconEntry) =>
      !needle || i.title.toLowerCase().includes(needle) || i.tags.some((t) => t.toLowerCase().includes(needle));
    return {public: pub.filter(match), user: user.filter(match)};
  }

  /**
   * Upload to the family's icons. With `convert`, any PNG is made 16×16 here first (so what the
   * player shows is what the preview showed); without, it must already be a 16×16 PNG.
   */
  async upload(bytes: Buffer, opts: {convert: boolean; filename?: string}): Promise<IconEntry & {new: boolean}> {
    const png = opts.convert ? await convertToIcon(bytes) : bytes;
    await validateIcon(png);
    const filename = (opts.filename ?? "icon.png").replace(/[^\w. -]/g, "_").slice(0, 80) || "icon.png";
    const uploaded = await this.#opts.rest.uploadIcon(png, filename);
    this.#cache.delete("user");
    this.#opts.log.info(`Uploaded icon '${filename}' (${uploaded.new ? "new" : "already stored"})`);
    return {...entry(uploaded, false), title: uploaded.title ?? filename, new: uploaded.new === true};
  }

  /** Show an icon on a player's display for a while (Yoto's display preview command). */
  async preview(player: string, icon: string, seconds = 10): Promise<void> {
    const uri = /^https?:\/\//.test(icon) ? icon : iconRef(icon);
    await this.#opts.players.command(player, {command: "show_icon", uri, seconds});
  }

  #cached(kind: "public" | "user"): Promise<IconEntry[]> {
    const hit = this.#cache.get(kind);
    if (hit && Date.now() - hit.at < (this.#opts.cacheMs ?? DEFAULT_CACHE_MS)) return hit.icons;
    const fetch = kind === "public" ? this.#opts.rest.publicIcons() : this.#opts.rest.userIcons();
    const icons = fetch.then((list) =>
      list.filter((i) => typeof i.mediaId === "string").map((i) => entry(i, kind === "public")),
    );
    this.#cache.set(kind, {at: Date.now(), icons});
    icons.catch(() => this.#cache.delete(kind));
    return icons;
  }
}

function entry(icon: YotoIcon, isPublic: boolean): IconEntry {
  return {
    mediaId: icon.mediaId,
    ref: `yoto:#${icon.mediaId}`,
    title: typeof icon.title === "string" ? icon.title : icon.mediaId.slice(0, 8),
    url: typeof icon.url === "string" ? icon.url : undefined,
    public: isPublic,
    tags: Array.isArray(icon.publicTags) ? icon.publicTags.filter((t): t is string => typeof t === "string") : [],
  };
}
