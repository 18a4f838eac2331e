import type {Context} from "koa";

/**
 * The origin a request reached this listener at (scheme and Host), as a client names this server.
 * Not Koa's `ctx.origin`: since Koa 3 that is the request's `Origin` header (null without one), which
 * a server-to-server client such as Home Assistant's MCP integration never sends.
 */
export function ownOrigin(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}
