import type {Middleware} from "koa";
import type {Logger} from "../core/logger.js";
import type {AuditEntry} from "../shared/api/audit.js";
import type {AdminCaller} from "./middleware/adminAccess.js";

export type {AuditEntry};

const KEEP = 200;

/** Changes made through the admin API, and by whom (Home Assistant user names come from ingress). */
export class AuditLog {
  readonly #entries: AuditEntry[] = [];
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
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
        const caller = ctx.state.caller as AdminCaller | undefined;
        if (caller) {
          const user = caller.displayName ?? caller.userName ?? caller.userId;
          this.record({
            at: new Date().toISOString(),
            method: ctx.method,
            path: ctx.path,
            status,
            via: caller.via,
            user,
          });
        }
      }
    };
  }

  record(entry: AuditEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > KEEP) this.#entries.shift();
    const who = entry.user ? `'${entry.user}' via ${entry.via}` : entry.via;
    this.#log.info(`${entry.method} ${entry.path} → ${entry.status} by ${who}`);
  }

  list(): readonly AuditEntry[] {
    return this.#entries;
  }
}
