import {Assistants} from "../assistants/assistants.js";
import {ClientDocuments} from "../assistants/clientDocuments.js";
import {McpAnswers} from "../assistants/mcpAnswers.js";
import {MCP_PATH, McpEndpoint} from "../assistants/mcpEndpoint.js";
import {McpService} from "../assistants/mcpService.js";
import {OAuthRequests} from "../assistants/oauthRequests.js";
import {SupervisorOffer} from "../assistants/supervisorOffer.js";
import type {Shelves} from "../shelf/shelves.js";
import type {Voice} from "../voice/voice.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {Faces} from "./facesPhase.js";

export interface AssistantsWing {
  assistants: Assistants;
  oauthRequests: OAuthRequests;
  /** OAuth clients named by the address of their metadata document, read through the fetch policy. */
  clientDocuments: ClientDocuments;
  mcp: McpEndpoint;
  /** Started after the panel's listener: it offers the address with the port it took. */
  mcpService: McpService;
}

/**
 * Phase 6 of the composition root: the MCP server for assistants (docs/assistants.md) over voice
 * and the shelves, its credentials, and its offer to Home Assistant through the Supervisor.
 */
export function buildAssistants(
  app: Base & Pick<Faces, "family"> & {voice: Voice; shelves: Shelves},
  opts: Pick<AppOptions, "mcpRate" | "trustedCa">,
  panelPort: () => number,
): AssistantsWing {
  const log = app.log.child("mcp");
  const assistants = new Assistants({store: app.store, bus: app.bus, log});
  const oauthRequests = new OAuthRequests(() => app.bus.emit("assistants.changed", {}));
  const answers = new McpAnswers({
    voice: app.voice,
    shelves: app.shelves,
    children: () => app.family.names(),
    log,
    stillAllowed: (id) => assistants.has(id),
  });
  const mcp = new McpEndpoint({
    assistants,
    answers,
    version: app.version,
    log,
    ...(opts.mcpRate ? {rate: opts.mcpRate} : {}),
  });
  const core = app.haCore;
  const scheme = app.config.ssl ? "https" : "http";
  const offer =
    core?.token === undefined
      ? undefined
      : {
          supervisor: new SupervisorOffer({url: core.url, token: core.token}, log),
          url: (host: string) => `${scheme}://${host}:${panelPort()}${MCP_PATH}`,
        };
  const clientDocuments = new ClientDocuments({
    fetchPolicy: app.fetchPolicy,
    log,
    ...(opts.trustedCa ? {ca: opts.trustedCa} : {}),
  });
  return {assistants, oauthRequests, clientDocuments, mcp, mcpService: new McpService(mcp, oauthRequests, offer)};
}
