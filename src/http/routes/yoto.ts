import type Router from "@koa/router";
import {whereToSet} from "../../config/whereToSet.js";
import {AppError, badRequest} from "../../core/errors.js";
import type {GatedPlayers} from "../../gate/gatedPlayers.js";
import {shownPlayer} from "../../playing/nowPlaying.js";
import type {OwnNames} from "../../playing/ownNames.js";
import type {AccountView, CardArtwork, CardGroupsView} from "../../shared/api/account.js";
import type {NowPlaying, PlayerState, PlayersList} from "../../shared/api/players.js";
import type {YotoAccount} from "../../yoto/account.js";
import {parseCommand} from "../../yoto/commands.js";
import {SCOPES} from "../../yoto/oauthClient.js";
import {readJson} from "../body.js";

/** Yoto's card ids are five letters and digits; the simulator's and older ones are a little longer. */
const CARD_ID = /^[A-Za-z0-9]{1,40}$/;

export interface YotoRouteDeps {
  account: YotoAccount;
  players: GatedPlayers;
  /** The names players have in the MQTT Media Player integration (null when that is off). */
  mediaPlayerNames?: () => Record<string, string> | null;
  /** The song a player hears now on a radio card, or the title of a cast it plays, if it plays one. */
  song?: (player: PlayerState) => string | undefined;
  /** What a player plays now in the words of what plays (a cast, a station's song): playing/nowPlaying.ts. */
  nowPlaying?: (player: PlayerState) => NowPlaying | undefined;
  /**
   * What a card this service made plays, as the family names it ("Ben's story radio", not the
   * stream's name): the cards, a card's title and what each player plays are named so.
   */
  names?: OwnNames;
  /** Undefined when `yoto_client_id` is not configured: linking cannot start. */
  clientId?: string;
  /** Inside Home Assistant options are set in the add-on configuration; elsewhere by flag, env or file. */
  homeAssistant?: boolean;
}

const noClientId = (homeAssistant: boolean) =>
  `Set 'yoto_client_id' ${whereToSet("yoto_client_id", homeAssistant)} first: register an app at https://dashboard.yoto.dev/ with the redirect URL http://127.0.0.1:8787/callback and the scopes ${SCOPES.join(", ")} ticked`;

/** The Yoto account link and the players behind it: what the panel's Account and Players views call. */
export function yotoRoutes(router: Router, deps: YotoRouteDeps): void {
  const {account, players} = deps;
  const needClientId = () => {
    if (!deps.clientId) throw new AppError("no_client_id", noClientId(deps.homeAssistant ?? false), {status: 409});
  };

  router.get("/api/account", (ctx) => {
    ctx.body = {
      ...account.status(),
      cloud: players.cloud.state,
      clientIdConfigured: Boolean(deps.clientId),
      ...(deps.clientId ? {} : {clientIdHowTo: noClientId(deps.homeAssistant ?? false)}),
    } satisfies AccountView;
  });
  // Step 1 of linking: the panel opens `authorizeUrl`; the browser ends on the redirect URL.
  router.post("/api/account/link", (ctx) => {
    needClientId();
    ctx.body = account.beginLink();
  });
  // Step 2: the address the browser ended on (or just the code), pasted back.
  router.post("/api/account/link/complete", async (ctx) => {
    needClientId();
    const body = (await readJson(ctx)) as {url?: unknown; code?: unknown} | null;
    const pasted = body?.url ?? body?.code;
    if (typeof pasted !== "string" || !pasted.trim())
      throw badRequest(
        'Send {"url": "<the address the browser ended on>"} (or {"code": "…"}) to finish linking',
        "missing_code",
      );
    ctx.body = await account.completeLink(pasted);
  });
  router.post("/api/account/link/device", async (ctx) => {
    needClientId();
    ctx.body = await account.beginDeviceLink();
  });
  router.delete("/api/account", async (ctx) => {
    await account.unlink();
    ctx.body = account.status();
  });

  // A card made to play a stream is titled by the stream's name (an id): the family's name for it instead.
  const titled = <C extends {cardId: string; title?: string}>(c: C): C => {
    const name = deps.names?.card(c.cardId);
    return name ? {...c, title: name.title} : c;
  };
  const familyCards = async () => (await players.familyCards()).map(titled);
  router.get("/api/account/cards", async (ctx) => {
    ctx.body = {cards: await familyCards()};
  });
  router.get("/api/account/groups", async (ctx) => {
    const [groups, cards] = await Promise.all([players.groups.list(true), familyCards().catch(() => [])]);
    const titles = new Map(cards.map((c) => [c.cardId, c.title]));
    ctx.body = {
      groups: groups.map((g) => ({
        id: g.id,
        name: g.name,
        cards: g.cardIds.map((cardId) => ({cardId, ...(titles.has(cardId) ? {title: titles.get(cardId)} : {})})),
      })),
    } satisfies CardGroupsView;
  });
  // A card's title and artwork for the panel's player cards (what the bridge publishes to Home
  // Assistant); best effort, like the bridge: a card Yoto will not describe answers without them.
  router.get("/api/account/cards/:cardId", async (ctx) => {
    const cardId = ctx.params.cardId as string;
    if (!CARD_ID.test(cardId))
      throw badRequest(`'${cardId.slice(0, 40)}' is not a card id: use letters and digits, up to 40`, "bad_card_id");
    const summary = await players.cardSummary(cardId);
    ctx.body = titled({cardId, ...summary}) satisfies CardArtwork;
  });

  // A player casting is shown with the cast's words, here and in `playing`: never as the relay
  // card's "Announcement" of length 0.
  const shown = (p: PlayerState) => {
    const now = deps.nowPlaying?.(p);
    return {player: shownPlayer(deps.names?.player(p) ?? p, now), now};
  };
  router.get("/api/players", (ctx) => {
    const list = players.list();
    const seen = list.map(shown);
    ctx.body = {
      players: seen.map((s) => s.player),
      count: list.length,
      cloud: players.cloud.state,
      mediaPlayerNames: deps.mediaPlayerNames?.() ?? null,
      songs: Object.fromEntries(
        list.flatMap((p) => {
          const song = deps.song?.(p);
          return song ? [[p.id, song]] : [];
        }),
      ),
      playing: Object.fromEntries(seen.flatMap(({player, now}) => (now ? [[player.id, now]] : []))),
    } satisfies PlayersList;
  });
  router.get("/api/players/:id", (ctx) => {
    ctx.body = shown(players.get(ctx.params.id as string)).player;
  });
  router.post("/api/players/:id/commands", async (ctx) => {
    const command = parseCommand(await readJson(ctx));
    const sent = await players.command(ctx.params.id as string, command, {route: "api"});
    ctx.body = {ok: true, command: command.command, sent};
  });
}
