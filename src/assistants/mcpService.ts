import type {Service} from "../core/service.js";
import type {McpEndpoint} from "./mcpEndpoint.js";
import type {OAuthRequests} from "./oauthRequests.js";
import type {SupervisorOffer} from "./supervisorOffer.js";

/**
 * The MCP server's life (docs/assistants.md): started after the panel's listener, so the address it
 * offers Home Assistant has the port the listener took; stopped with what it holds (waiting OAuth
 * requests, the rate's flood summary). The Supervisor's offer stays: the next start offers the same
 * service again and the Supervisor keeps the one discovery (supervisorOffer.ts), so Home Assistant
 * proposes the server once, not once per restart.
 */
export class McpService implements Service {
  readonly name = "mcp";
  readonly #endpoint: McpEndpoint;
  readonly #requests: OAuthRequests;
  readonly #offer?: {supervisor: SupervisorOffer; url: (host: string) => string};

  constructor(
    endpoint: McpEndpoint,
    requests: OAuthRequests,
    offer?: {supervisor: SupervisorOffer; url: (host: string) => string},
  ) {
    this.#endpoint = endpoint;
    this.#requests = requests;
    this.#offer = offer;
  }

  async start(): Promise<void> {
    if (!this.#offer) return;
    const host = await this.#offer.supervisor.hostAddress();
    if (host) await this.#offer.supervisor.offer(this.#offer.url(host));
  }

  async stop(): Promise<void> {
    this.#endpoint.stop();
    this.#requests.clear();
  }
}
