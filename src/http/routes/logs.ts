import os from "node:os";
import type Router from "@koa/router";
import type {Context} from "koa";
import type {BrokerSummary} from "../../broker/localBroker.js";
import {badRequest} from "../../core/errors.js";
import {LOG_LEVELS, type LogLevel} from "../../core/logger.js";
import {logDownload} from "../../logs/download.js";
import type {LogFilter} from "../../logs/logRing.js";
import type {Logs} from "../../logs/logs.js";
import type {RedactionContext} from "../../logs/redact.js";
import type {PlayerState} from "../../yoto/playerModel.js";

export interface LogRouteDeps {
  logs: Logs;
  players: {list(): PlayerState[]};
  cards: {list(): Array<{cardId: string}>};
  broker: {summary(): BrokerSummary};
  health: () => {version: string};
  /** The Yoto app's client id: it names whose app this is, so a public issue never shows it. */
  clientId?: string;
}

const MAX_LIMIT = 2000;
const MAX_TEXT = 200;
const LEVELS = new Set<string>(LOG_LEVELS);

/**
 * `GET /api/logs?level=&q=&player=&after=&limit=`: the recent lines, oldest first, for the Logs
 * view (live lines then come as `log.written` over `/api/events`; `after` catches up on a
 * reconnect). `GET /api/logs/download`: the same lines as a file, redacted for a public issue.
 */
export function logRoutes(router: Router, deps: LogRouteDeps): void {
  router.get("/api/logs", (ctx) => {
    const {filter} = parseFilter(ctx, deps.players.list());
    ctx.body = deps.logs.page({...filter, limit: filter.limit ?? MAX_LIMIT});
  });

  router.get("/api/logs/download", (ctx) => {
    const players = deps.players.list();
    const {filter, described} = parseFilter(ctx, players);
    const {entries} = deps.logs.page(filter);
    const {filename, text} = logDownload(entries, redactionContext(players, deps), {
      version: deps.health().version,
      now: new Date(),
      filters: described,
    });
    ctx.type = "text/plain; charset=utf-8";
    ctx.set("Content-Disposition", `attachment; filename="${filename}"`);
    ctx.set("Cache-Control", "no-store");
    ctx.body = text;
  });
}

/**
 * Every id the service knows, then every id it met since the start (lines outlive a card that was
 * played and a player that left), the embedded broker's password when it made one, and the Yoto
 * client id (the saved login's warnings and OAuth URLs carry it).
 */
export function redactionContext(players: PlayerState[], deps: LogRouteDeps): RedactionContext {
  const met = deps.logs.metIds();
  const cardIds = new Set(deps.cards.list().map((c) => c.cardId));
  for (const p of players) {
    if (p.playback.cardId) cardIds.add(p.playback.cardId);
    if (p.playback.lastCardId) cardIds.add(p.playback.lastCardId);
  }
  for (const id of met.cardIds) cardIds.add(id);
  const password = deps.broker.summary().login?.password;
  return {
    playerIds: [...players.map((p) => p.id), ...met.playerIds],
    cardIds,
    secrets: [password, deps.clientId].filter((s): s is string => Boolean(s)),
    homeDir: os.homedir(),
  };
}

function parseFilter(ctx: Context, players: PlayerState[]): {filter: LogFilter; described: string[]} {
  const filter: LogFilter = {};
  const described: string[] = [];
  const level = single(ctx, "level");
  if (level !== undefined) {
    if (!LEVELS.has(level))
      throw badRequest(`level must be one of ${LOG_LEVELS.join(", ")} (got '${level}')`, "bad_query");
    filter.level = level as LogLevel;
    described.push(`level ${level} and above`);
  }
  const q = single(ctx, "q");
  if (q) {
    if (q.length > MAX_TEXT)
      throw badRequest(`q must be at most ${MAX_TEXT} characters: search for a shorter part of the line`, "bad_query");
    filter.text = q;
    described.push(`containing '${q}'`);
  }
  const player = single(ctx, "player");
  if (player) {
    filter.player = findPlayer(players, player);
    described.push(`about player '${filter.player.name}'`);
  }
  const after = wholeNumber(ctx, "after", 0, Number.MAX_SAFE_INTEGER);
  if (after !== undefined) filter.after = after;
  const limit = wholeNumber(ctx, "limit", 1, MAX_LIMIT);
  if (limit !== undefined) {
    filter.limit = limit;
    described.push(`at most ${limit}`);
  }
  return {filter, described};
}

function findPlayer(players: PlayerState[], wanted: string): {id: string; name: string} {
  const lower = wanted.toLowerCase();
  const found = players.find((p) => p.id === wanted) ?? players.find((p) => p.name.toLowerCase() === lower);
  if (found) return {id: found.id, name: found.name};
  const known = players.map((p) => `'${p.name}'`).join(", ");
  throw badRequest(
    `No player '${wanted}': ${known ? `use the name or id of one of ${known}` : "no players are known yet (link the Yoto account on the Account page)"}`,
    "unknown_player",
  );
}

/** A query parameter given once, or not at all. */
function single(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  if (Array.isArray(raw)) throw badRequest(`${name} is given ${raw.length} times: give it once`, "bad_query");
  return raw;
}

function wholeNumber(ctx: Context, name: string, min: number, max: number): number | undefined {
  const raw = single(ctx, name);
  if (raw === undefined) return undefined;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    const hint = name === "after" ? " (the seq of the last line you have)" : "";
    throw badRequest(`${name} must be a whole number ${range}${hint}, not '${raw}'`, "bad_query");
  }
  return value;
}
