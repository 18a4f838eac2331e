import type {Middleware} from "koa";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {AuditEntry} from "../shared/api/audit.js";
import type {AdminCaller, DeviceCaller} from "./middleware/adminAccess.js";

export type {AuditEntry};

const KEEP = 200;

/**
 * Changes made through the admin API, and by whom (Home Assistant user names come from ingress).
 * Kept per way in (a parent's session, ingress, the token, a device link): a child's tablet
 * hammering its routes fills its own 200 and never pushes a parent's revoke out of the list.
 */
export class AuditLog {
  readonly #entries = new Map<string, AuditEntry[]>();
  readonly #log: Logger;

  /** Audit lines are information, not warnings: the flood summary writes them at that level. */
  readonly #flood: FloodSummary;

  constructor(log: Logger, opts: {floodWindowMs?: number} = {}) {
    this.#log = log;
    this.#flood = new FloodSummary({warning: (line) => log.info(line)}, {windowMs: opts.floodWindowMs});
  }

  /** Records every request that is not a read. */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.method === "GET" || ctx.method === "HEAD") return next();
      // This runs inside the error mapper, so a thrown error has not set ctx.status yet.
      let status = 500;
      try {
        await next();
        status = ctx.status;
      } catch (err) {
        const thrown = (err as {status?: number}).status;
        status = Number.isInteger(thrown) ? (thrown as number) : 500;
        throw err;
      } finally {
        const caller = ctx.state.caller as AdminCaller | DeviceCaller | undefined;
        // A route may say its request is no change (`none`: a voice question) or one that comes in
        // floods (`summarised`: voice actions), whose lines the flood summary counts past the first few.
        const how = ctx.state.audit as "none" | "summarised" | undefined;
        if (caller && how !== "none") {
          const user =
            caller.via === "device"
              ? `${caller.child}'s device link`
              : (caller.displayName ?? caller.userName ?? caller.userId);
          const entry = {
            at: new Date().toISOString(),
            method: ctx.method,
            path: ctx.path,
            status,
            via: caller.via,
            user,
          };
          this.record(entry, how === "summarised" ? ctx.path : undefined);
        }
      }
    };
  }

  /** `flood`: the kind whose lines are counted past the first few a minute (FloodSummary). */
  record(entry: AuditEntry, flood?: string): void {
    const kept = this.#entries.get(entry.via) ?? [];
    this.#entries.set(entry.via, kept);
    kept.push(entry);
    if (kept.length > KEEP) kept.shift();
    const who = entry.user ? `'${entry.user}' via ${entry.via}` : entry.via;
    const line = `${entry.method} ${entry.path} → ${entry.status} by ${who}`;
    if (flood) this.#flood.warning(flood, line);
    else this.#log.info(line);
  }

  /** Every way's entries, oldest first. */
  list(): readonly AuditEntry[] {
    return [...this.#entries.values()].flat().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
