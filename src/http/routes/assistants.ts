import type Router from "@koa/router";
import type {Context} from "koa";
import {type AssistantGrants, grantsOf} from "../../assistants/assistantGrants.js";
import {MAX_ASSISTANTS} from "../../assistants/assistants.js";
import type {OAuthRequests} from "../../assistants/oauthRequests.js";
import {homeNetworkAddress, isLoopback} from "../../core/address.js";
import {AppError, badRequest, notFound} from "../../core/errors.js";
import type {AssistantMade, AssistantsList, AssistantView} from "../../shared/api/assistants.js";
import {JSON_BODY_LIMIT, readBytes, readJsonObject} from "../body.js";
import type {AdminCaller} from "../middleware/adminAccess.js";
import {ownOrigin} from "../ownOrigin.js";

export interface AssistantRouteDeps {
  assistants: {
    make(name: unknown, grants: AssistantGrants): Promise<{assistant: AssistantView; token: string}>;
    list(): AssistantView[];
    revoke(id: string): Promise<AssistantView>;
    full(more?: number): boolean;
  };
  /** OAuth clients' requests waiting for a parent, and the parent's answer. */
  oauthRequests: Pick<OAuthRequests, "waiting" | "answer" | "isWaiting" | "outstanding">;
  /** The family plan's children, as it spells them: an approval may give an assistant some of them. */
  children(): string[];
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
    const body = await readJsonObject(
      ctx,
      'Send {"name": "Kitchen speaker"}, and "read_only": true or "children": ["Mia"] to give it less than everything',
      "bad_assistant_name",
    );
    // The grants are read before the name: a wrong child is said even with a good name, and nothing is made.
    const grants = grantsOf(body, deps.children());
    const {assistant, token} = await deps.assistants.make(body.name, grants);
    const made: AssistantMade = {assistant, token, mcp_url: mcpUrl(ctx)};
    ctx.status = 201;
    ctx.set("Cache-Control", "no-store");
    ctx.body = made;
  });

  router.post("/api/assistants/requests/:id/:answer", async (ctx) => {
    const answer = ctx.params.answer;
    if (answer !== "approve" && answer !== "deny")
      throw notFound(
        `Answer a request with …/approve or …/deny (not '${String(answer).slice(0, 20)}')`,
        "unknown_answer",
      );
    const id = ctx.params.id as string;
    const grants = answer === "approve" ? grantsOf(await optionalObject(ctx), deps.children()) : undefined;
    if (!deps.oauthRequests.isWaiting(id)) throw noSuchRequest();
    // Before the request is marked: an approval past the cap would give a code no token comes of,
    // and end the request the parent could answer once there is room.
    if (grants && deps.assistants.full(deps.oauthRequests.outstanding()))
      throw new AppError(
        "too_many_assistants",
        `There are ${MAX_ASSISTANTS} assistants, the most there may be: revoke one on the Assistants page first`,
        {status: 409},
      );
    if (!deps.oauthRequests.answer(id, answer === "approve", grants)) throw noSuchRequest();
    ctx.body = {answered: answer};
  });

  router.delete("/api/assistants/:id", async (ctx) => {
    ctx.body = {revoked: await deps.assistants.revoke(ctx.params.id as string)};
  });
}

const noSuchRequest = () =>
  notFound(
    "There is no such request waiting: it was answered already, or its 10 minutes passed (start again from the assistant)",
    "unknown_assistant_request",
  );

/** An approval's body: none (everything), or a JSON object of grants (`{"read_only": true, "children": ["Mia"]}`). */
async function optionalObject(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.request.length && !ctx.get("Transfer-Encoding")) return {};
  if (!ctx.is("application/json")) return readJsonObject(ctx, GRANTS_BODY, "bad_assistant_grants");
  const raw = (await readBytes(ctx, JSON_BODY_LIMIT)).toString("utf8");
  if (!raw.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw badRequest(GRANTS_BODY, "bad_assistant_grants");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest(GRANTS_BODY, "bad_assistant_grants");
  return body as Record<string, unknown>;
}

const GRANTS_BODY =
  'Send what the assistant may do as JSON ({"read_only": true, "children": ["Mia"]}), or nothing for everything';
