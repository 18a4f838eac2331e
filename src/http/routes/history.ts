import type Router from "@koa/router";
import type {Context} from "koa";
import {badRequest} from "../../core/errors.js";
import {Days, FIRST_DATE, LAST_DATE} from "../../core/time/days.js";
import type {History} from "../../history/history.js";
import type {OwnNames} from "../../playing/ownNames.js";

export interface HistoryRouteDeps {
  history: Pick<History, "summary" | "sessions">;
  /** A session on a card this service made, titled as the family names what it played: ownNames.ts. */
  names?: OwnNames;
}

/**
 * Listening history for the panel's chart and list: `GET /api/history` (per day and player) and
 * `GET /api/history/sessions` (newest first). Every query value is checked, and a wrong one is a
 * 400 saying what to send instead; an unknown player is the players' usual 404 naming the known ones.
 */
export function historyRoutes(router: Router, deps: HistoryRouteDeps): void {
  router.get("/api/history", async (ctx) => {
    const days = wholeNumber(ctx, "days", 14, 1, 366);
    ctx.body = await deps.history.summary(days, player(ctx));
  });

  router.get("/api/history/sessions", async (ctx) => {
    const from = date(ctx, "from");
    const to = date(ctx, "to");
    if (from !== undefined && to !== undefined && from > to)
      throw badRequest(`'from' (${from}) is after 'to' (${to}): give the earlier date as 'from'`, "bad_query");
    const limit = wholeNumber(ctx, "limit", 100, 1, 1000);
    const {sessions} = await deps.history.sessions({player: player(ctx), from, to, limit});
    ctx.body = {sessions: deps.names ? sessions.map(deps.names.session) : sessions};
  });
}

/** The one value of a query parameter; given twice is a mistake worth saying. */
function single(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  if (Array.isArray(raw))
    throw badRequest(
      `'${name}' is given ${raw.length} times (${raw.map((v) => `'${v}'`).join(", ")}): give it once`,
      "bad_query",
    );
  return raw;
}

function wholeNumber(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = single(ctx, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max))
    throw badRequest(
      `'${name}' must be a whole number from ${min} to ${max}, e.g. ${name}=${fallback}, not '${raw}'`,
      "bad_query",
    );
  return value;
}

function player(ctx: Context): string | undefined {
  const raw = single(ctx, "player");
  if (raw === undefined) return undefined;
  if (raw.trim() === "")
    throw badRequest(
      `'player' must name a player by id or name, not '${raw}': leave it out for every player`,
      "bad_query",
    );
  return raw.trim();
}

function date(ctx: Context, name: string): string | undefined {
  const raw = single(ctx, name);
  if (raw === undefined) return undefined;
  const problem = Days.problem(raw);
  if (problem === undefined) return raw;
  const message =
    problem === "format"
      ? `'${name}' must be a date written YYYY-MM-DD, e.g. ${name}=2025-01-31, not '${raw}'`
      : problem === "no_such_day"
        ? `'${name}' (${raw}) is not a day in the calendar: check the month and the day`
        : `'${name}' (${raw}) is out of range: give a date from ${FIRST_DATE} to ${LAST_DATE}`;
  throw badRequest(message, "bad_query");
}
