import type {Context} from "koa";

/**
 * This listener's origin as the request reached it (`http://host:port`). Not `ctx.origin`: since
 * Koa 3 that is the request's `Origin` header, or null, which no MCP client or server-side OAuth
 * client sends.
 */
export function ownOrigin(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}
