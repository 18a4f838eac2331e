import {type IncomingMessage, STATUS_CODES} from "node:http";
import type {Middleware} from "koa";
import {AppError, errorMessage} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import {type RouteShape, routeHint} from "../routeHint.js";

/**
 * The one place that turns errors into responses: `{error, code}` JSON with the error's status.
 * Messages of 4xx errors are for the user; 5xx details stay in the log.
 */
export function errorResponses(log: Logger, routes: () => readonly RouteShape[] = () => []): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith("/api/")) {
        const hint = routeHint(ctx.method, ctx.path, routes());
        ctx.status = 404;
        ctx.body = {
          error: `No API route ${ctx.method} ${ctx.path}${hint ? ` (did you mean ${hint}?)` : ""}`,
          code: "not_found",
        };
      }
      // The router's 405 (a path that takes other methods), in the API's error format, naming them.
      if (ctx.status === 405 && ctx.body == null && ctx.path.startsWith("/api/")) {
        const allowed = ctx.response.get("Allow");
        ctx.status = 405;
        ctx.body = {
          error: `${ctx.path} does not take ${ctx.method}${allowed ? `: it takes ${allowed}` : ""}`,
          code: "method_not_allowed",
        };
      }
    } catch (err) {
      const e = err as {
        status?: number;
        statusCode?: number;
        responseStatus?: number;
        expose?: boolean;
        message?: string;
      };
      // An upstream's error (Yoto's) carries its own status and says which of ours it becomes.
      const status = e.responseStatus ?? e.status ?? e.statusCode ?? 500;
      const validStatus = Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
      if (validStatus >= 500) log.error(`${ctx.method} ${ctx.path} failed (${errorMessage(err)})`);
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = validStatus;
      // A request whose body was left unread (an upload refused half-way: too large, disk full)
      // would hold its connection paused on the rest, and the client's next request on it would
      // hang: answer, then close it.
      if (hasUnreadBody(ctx.req)) ctx.set("Connection", "close");
      const expose = e.expose ?? validStatus < 500;
      ctx.body = {
        // An exposed error's details come with its sentence (never in place of `error` or `code`).
        ...(expose && err instanceof AppError ? err.details : undefined),
        error: expose && e.message ? e.message : (STATUS_CODES[validStatus] ?? "Error"),
        // Only our own codes are part of the API; a library's (e.g. ERR_CRYPTO_…) says nothing useful.
        code:
          err instanceof AppError
            ? err.code
            : (STATUS_CODES[validStatus] ?? "error").toLowerCase().replaceAll(" ", "_"),
      };
    }
  };
}

/** A request that came with a body it was not read to the end of (a bodiless one may not be "complete" yet either). */
function hasUnreadBody(req: IncomingMessage): boolean {
  const declared = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  return declared && !req.complete;
}
