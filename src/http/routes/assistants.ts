import type Router from "@koa/router";
import type {Context} from "koa";
import type {OAuthRequests} from "../../assistants/oauthRequests.js";
import {homeNetworkAddress, isLoopback} from "../../core/address.js";
import {notFound} from "../../core/errors.js";
import type {AssistantMade, AssistantsList, AssistantView} from "../../shared/api/assistants.js";
import {readJsonObject} from "../body.js";
import type {AdminCaller} from "../middleware/adminAccess.js";
import {ownOrigin} from "../ownOrigin.js";

export interface AssistantRouteDeps {
  assistants: {
    make(name: unknown): Promise<{assistant: AssistantView; token: string}>;
    list(): AssistantView[];
    revoke(id: string): Promise<AssistantView>;
  };
  /** OAuth clients' requests waiting for a parent, and the parent's answer. */
  oauthRequests: Pick<OAuthRequests, "waiting" | "answer">;
  /** The panel's own port: behind ingress the page builds the MCP address with it. */
  panelPort(): number;
}

/**
 * The MCP address as this request reached the listener; behind ingress, the page's own host and the
 * panel's port. A page opened on this machine (127.0.0.1, localhost) is given the home network's
 * address instead, with the same port: the address is for pasting into an assistant, most often on
 * a laptop, which the loopback would send to itself.
 */
function mcpUrl(ctx: Context): string {
  const caller = ctx.state.caller as AdminCaller | undefined;
  if (caller?.via === "ingress") return "";
  const own = new URL(ownOrigin(ctx));
  const host = own.hostname.replace(/^\[|\]$/g, "");
  const home = host === "localhost" || isLoopback(host) ? homeNetworkAddress() : undefined;
  if (home) own.hostname = home;
  return `${own.origin}/mcp`;
}

/**
 * The assistants that may use the MCP server (docs/assistants.md): a parent makes a token for one,
 * lists them, revokes one, and answers an OAuth client's request (Home Assistant's MCP integration).
 * The parents' alone: no device link or assistant reaches these.
 */
export function assistantRoutes(router: Router, deps: AssistantRouteDeps): void {
  router.get("/api/assistants", (ctx) => {
    const body: AssistantsList & {panel_port: number} = {
      assistants: deps.assistants.list(),
      requests: deps.oauthRequests.waiting(),
      mcp_url: mcpUrl(ctx),
      panel_port: deps.panelPort(),
    };
    ctx.set("Cache-Control", "no-store");
    ctx.body = body;
  });

  router.post("/api/assistants", async (ctx) => {
    const body = await readJsonObject(ctx, 'Send {"name": "Kitchen speaker"}', "bad_assistant_name");
    const {assistant, token} = await deps.assistants.make(body.name);
    const made: AssistantMade = {assistant, token, mcp_url: mcpUrl(ctx)};
    ctx.status = 201;
    ctx.set("Cache-Control", "no-store");
    ctx.body = made;
  });

  router.post("/api/assistants/requests/:id/:answer", (ctx) => {
    const answer = ctx.params.answer;
    if (answer !== "approve" && answer !== "deny")
      throw notFound(
        `Answer a request with …/approve or …/deny (not '${String(answer).slice(0, 20)}')`,
        "unknown_answer",
      );
    if (!deps.oauthRequests.answer(ctx.params.id as string, answer === "approve"))
      throw notFound(
        "There is no such request waiting: it was answered already, or its 10 minutes passed (start again from the assistant)",
        "unknown_assistant_request",
      );
    ctx.body = {answered: answer};
  });

  router.delete("/api/assistants/:id", async (ctx) => {
    ctx.body = {revoked: await deps.assistants.revoke(ctx.params.id as string)};
  });
}
