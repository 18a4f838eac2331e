import {randomBytes} from "node:crypto";
import type Router from "@koa/router";
import type {Context, Middleware} from "koa";
import {badRequest, notFound} from "./answers.js";
import type {SimCard} from "./content.js";
import {defaultConfig} from "./deviceConfig.js";
import {imageRoutes} from "./imageRoutes.js";
import {readText, type SimOAuth} from "./oauth.js";
import type {VirtualPlayer} from "./player.js";
import {type LinkIssuer, ReadBacks, readBack} from "./signing.js";

export interface SimRestState {
  players: Map<string, VirtualPlayer>;
  cards: Map<string, SimCard>;
  icons: Map<string, {mediaId: string; displayIconId: string; url: string; title: string; userId: string}>;
  /** The PNG of each uploaded icon, served at its `url`. */
  iconImages: Map<string, Buffer>;
  /** Fault injection: this many next API requests answer 503. */
  failNext: number;
  /** Fault injection: this many next API requests answer 429 with `Retry-After`. */
  rateLimit: {next: number; retryAfterSeconds: number; path?: string};
  /** How many cards the family may own: a new card beyond it answers 403. */
  limits: {cardLimit: number | undefined};
  baseUrl: () => string;
  /** How read-back links are signed right now (origin, lifetime, generation). */
  links: () => LinkIssuer;
}

export const USER_ID = "auth0|sim-family-user";

function ownedByFamily(card: SimCard): boolean {
  return card.userId === USER_ID;
}

/** `/card/family/library` entries: the card under `card`, without its chapters (reference §2.3). */
function libraryEntry(card: SimCard) {
  const {chapters: _chapters, ...content} = card.content;
  return {
    cardId: card.cardId,
    reason: ownedByFamily(card) ? "created" : "physical-add",
    shareType: ownedByFamily(card) ? "owner" : "physical",
    inFamilyLibrary: true,
    card: {cardId: card.cardId, title: card.title, content, metadata: card.metadata ?? {}, userId: card.userId},
    createdAt: card.createdAt,
    updatedAt: card.updatedAt,
    lastPlayedAt: null,
  };
}
/** Bearer checks and injected 5xx for every API path (not the OAuth paths). */
export function apiGuard(oauth: SimOAuth, state: SimRestState): Middleware {
  return async (ctx, next) => {
    if (!/^\/(device-v2|content|card|media)\//.test(ctx.path)) return next();
    if (state.rateLimit.next > 0 && (state.rateLimit.path === undefined || ctx.path === state.rateLimit.path)) {
      state.rateLimit.next--;
      ctx.status = 429;
      ctx.set("Retry-After", String(state.rateLimit.retryAfterSeconds));
      ctx.body = {error: {code: "too-many-requests", message: "Too Many Requests"}};
      return;
    }
    if (state.failNext > 0) {
      state.failNext--;
      ctx.status = 503;
      ctx.body = {error: {code: "service-unavailable", message: "Service Unavailable"}};
      return;
    }
    const token = /^Bearer (.+)$/.exec(ctx.get("Authorization"))?.[1];
    if (!oauth.check(token)) {
      ctx.status = 401;
      ctx.body = {error: {code: "unauthorized", message: "Invalid or expired access token"}};
      return;
    }
    await next();
  };
}

export function restRoutes(router: Router, state: SimRestState): void {
  const player = (ctx: Context) => {
    const found = state.players.get(ctx.params.id as string);
    if (!found) ctx.throw(404, JSON.stringify({error: {code: "not-found", message: "Device not found"}}));
    return found as VirtualPlayer;
  };

  router.get("/device-v2/devices/mine", (ctx) => {
    ctx.body = {devices: [...state.players.values()].map(deviceSummary)};
  });
  router.get("/device-v2/:id/config", (ctx) => {
    const p = player(ctx);
    const summary = deviceSummary(p);
    // The shadow is what the player last reported, offline too; fields it never sent are null.
    const shadow = p.online || !p.lastShadow ? {...p.fullStatus(), updatedAt: new Date().toISOString()} : p.lastShadow;
    if (p.online) p.lastShadow = shadow;
    ctx.body = {
      device: {
        deviceId: p.spec.deviceId,
        name: p.spec.name ?? "",
        errorCode: null,
        fwVersion: "v2.23.2",
        popCode: "SIMPOP",
        releaseChannelId: "general-memfault",
        releaseChannelVersion: "2.23.2",
        activationPopCode: "SIMPOPACT",
        registrationCode: "SIMREG",
        deviceType: summary.deviceType,
        deviceFamily: summary.deviceFamily,
        deviceGroup: summary.deviceGroup,
        generation: summary.generation,
        formFactor: summary.formFactor,
        mac: "a0:b1:c2:d3:e4:f5",
        online: p.online,
        geoTimezone: "Europe/London",
        getPosix: "GMT0BST,M3.5.0/1,M10.5.0",
        status: {...shadow, ...NEVER_REPORTED},
        config: p.config,
        shortcuts: {versionId: "", modes: {day: {content: []}, night: {content: []}}},
      },
    };
  });
  router.put("/device-v2/:id/config", async (ctx) => {
    const p = player(ctx);
    const body = await json(ctx);
    if (typeof body.config !== "object" || body.config === null) {
      badRequest(ctx, "config must be an object");
      return;
    }
    // The whole block is replaced: keys left out go back to their defaults (reference §2.1).
    p.config = {...defaultConfig(), ...(body.config as Record<string, string>)};
    p.configChanged();
    if (typeof body.name === "string") p.spec.name = body.name;
    ctx.body = {status: "ok"};
  });
  // The legacy flat status (reference §2.1): camelCase names of its own, temperature may be "notSupported".
  router.get("/device-v2/:id/status", (ctx) => {
    const p = player(ctx);
    const s = p.fullStatus();
    ctx.body = {
      activeCard: s.activeCard,
      ambientLightSensorReading: s.als,
      averageDownloadSpeedBytesSecond: s.bytesPS,
      batteryLevelPercentage: s.batteryLevel,
      batteryLevelPercentageRaw: s.batteryLevelRaw,
      buzzErrors: s.buzzErrors,
      cardInsertionState: s.cardInserted,
      dayMode: s.day,
      deviceId: p.spec.deviceId,
      errorsLogged: s.errorsLogged,
      firmwareVersion: s.fwVersion,
      freeDiskSpaceBytes: s.freeDisk,
      isAudioDeviceConnected: false,
      isBackgroundDownloadActive: false,
      isBluetoothAudioConnected: false,
      isCharging: s.charging === 1,
      isNfcLocked: 0,
      isOnline: p.online,
      networkSsid: s.ssid,
      nightlightMode: s.nightlightMode,
      playingSource: s.playingStatus,
      powerCapabilities: s.powerCaps,
      powerSource: s.powerSrc,
      systemVolumePercentage: s.volume,
      taskWatchdogTimeoutCount: s.twdt,
      temperatureCelcius: p.spec.deviceFamily === "v3" ? "24" : "notSupported",
      totalDiskSpaceBytes: s.totalDisk,
      updatedAt: new Date().toISOString(),
      uptime: s.upTime,
      userVolumePercentage: s.userVolume,
      utcOffsetSeconds: s.utcOffset,
      utcTime: s.utcTime,
      wifiStrength: s.wifiStrength,
    };
  });

  router.post("/content", async (ctx) => {
    const body = await json(ctx);
    const title = body.title;
    if (typeof title !== "string" || title.length < 1 || title.length > 100) {
      badRequest(ctx, "title must be 1-100 characters");
      return;
    }
    const content = body.content as SimCard["content"] | undefined;
    if (!content || !Array.isArray(content.chapters)) {
      badRequest(ctx, "content.chapters must be a list");
      return;
    }
    const now = new Date().toISOString();
    let cardId = body.cardId as string | undefined;
    if (cardId !== undefined) {
      if (!/^[A-Za-z0-9]{5}$/.test(cardId)) {
        badRequest(ctx, "cardId must be 5 letters or digits");
        return;
      }
      if (!state.cards.has(cardId)) {
        notFound(ctx, `Card ${cardId} not found`);
        return;
      }
      if (state.cards.get(cardId)?.userId !== USER_ID) {
        // A shop card cannot be edited by the family (reference §2.4).
        ctx.status = 403;
        ctx.body = {error: {code: "forbidden", message: `Card ${cardId} is not yours to edit`}};
        return;
      }
    } else {
      const limit = state.limits.cardLimit;
      if (limit !== undefined && [...state.cards.values()].filter(ownedByFamily).length >= limit) {
        ctx.status = 403;
        ctx.body = {
          error: {code: "card-limit", message: `This account has reached its limit of ${limit} Make Your Own cards`},
        };
        return;
      }
      do
        cardId = randomBytes(4)
          .toString("base64url")
          .replace(/[^A-Za-z0-9]/g, "x")
          .slice(0, 5);
      while (state.cards.has(cardId));
    }
    // POST with a cardId replaces the card: what the client sends is what is kept.
    const card: SimCard = {
      ...body,
      cardId,
      title,
      userId: USER_ID,
      content,
      createdAt: state.cards.get(cardId)?.createdAt ?? now,
      updatedAt: now,
    };
    state.cards.set(cardId, card);
    ctx.body = {card};
  });
  const readBacks = new ReadBacks();
  router.get("/content/mine", (ctx) => {
    ctx.type = "application/json";
    ctx.body = readBacks.listing([...state.cards.values()].filter(ownedByFamily), state.links());
  });
  router.get("/card/family/library", (ctx) => {
    ctx.type = "application/json";
    ctx.body = readBacks.library([...state.cards.values()], libraryEntry);
  });
  // Only the family's own cards: a shop or physical card answers 404 here (reference §10.9).
  router.get("/content/:id", (ctx) => {
    const card = state.cards.get(ctx.params.id as string);
    if (!card || !ownedByFamily(card)) {
      notFound(ctx, `Card ${ctx.params.id} not found`);
      return;
    }
    ctx.body = {card: readBack(card, state.links())};
  });
  router.get("/card/:id", (ctx) => {
    const card = state.cards.get(ctx.params.id as string);
    if (!card) {
      notFound(ctx, `Card ${ctx.params.id} not found`);
      return;
    }
    const mine = ownedByFamily(card);
    ctx.body = {
      card: readBack(card, state.links()),
      ownership: {canAccess: true, cardIsFree: mine, cardIsMadeByUser: mine, cardIsInFamilyLibrary: true},
    };
  });
  router.delete("/content/:id", (ctx) => {
    const existing = state.cards.get(ctx.params.id as string);
    if (!existing || !ownedByFamily(existing) || !state.cards.delete(ctx.params.id as string)) {
      notFound(ctx, `Card ${ctx.params.id} not found`);
      return;
    }
    ctx.body = {status: "ok"};
  });

  imageRoutes(router, state);
}

/** Shadow fields real players leave unreported until they first send them (reference §10.11). */
const NEVER_REPORTED = {shutDown: null, failReason: null, failData: null};

function deviceSummary(p: VirtualPlayer) {
  const mini = p.spec.deviceFamily === "mini";
  return {
    deviceId: p.spec.deviceId,
    // A player the family never named is listed as "Yoto Player" (reference §10.14).
    name: p.spec.name || "Yoto Player",
    description: "green.glitter",
    online: p.online,
    releaseChannel: "general",
    deviceType: p.spec.deviceType,
    deviceFamily: p.spec.deviceFamily,
    deviceGroup: "",
    generation: mini ? "gen3" : "gen3",
    formFactor: mini ? "mini" : "standard",
    hasUserGivenName: Boolean(p.spec.name),
  };
}

async function json(ctx: Context): Promise<Record<string, unknown>> {
  const text = await readText(ctx);
  try {
    const parsed = JSON.parse(text || "{}");
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    ctx.throw(400, "body is not JSON");
  }
  return {};
}
