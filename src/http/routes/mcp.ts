import type Router from "@koa/router";
import type {Context} from "koa";
import {readJson} from "../body.js";
import {openRoute} from "../routeAccess.js";
import {BODY_DEADLINE_MS} from "./oauth.js";

export interface McpRouteDeps {
  /** The MCP server: it asks for an assistant's credential itself, whoever calls. */
  mcp: {handle(ctx: Context, readBody: (limit: number) => Promise<unknown>): Promise<void>};
}

/**
 * `/mcp` (docs/assistants.md): open past the parents' access, because the MCP endpoint checks its
 * own credential, an assistant's, on every request, the loopback's and ingress's too.
 */
export function mcpRoutes(router: Router, deps: McpRouteDeps): void {
  const handle = (ctx: Context) =>
    deps.mcp.handle(ctx, (limit) => readJson(ctx, limit, {deadlineMs: BODY_DEADLINE_MS}));
  openRoute(router, "public", "POST", "/mcp", handle);
  openRoute(router, "public", "GET", "/mcp", handle);
}
