/** An assistant allowed to use the MCP server, as the Assistants view lists it: never its credential. */
export interface AssistantView {
  id: string;
  /** What a parent called it ("Kitchen speaker's LLM"), or the name its OAuth client gave ("Home Assistant"). */
  name: string;
  /** `token`: made on the panel, pasted into an MCP client; `oauth`: a client a parent approved (Home Assistant's MCP integration). */
  kind: "token" | "oauth";
  created_at: string;
  /** When a request last came with it (to the minute), or null when never. */
  last_used_at: string | null;
  /** Only the tools that read (what's playing, listened today, bedtime, the week, last night, a shelf): nothing plays. */
  read_only: boolean;
  /** The children it acts for and reads, as the family plan spells them; empty: every child. */
  children: string[];
}

/** An OAuth client's request waiting for a parent's approval on the Assistants view. */
export interface AssistantRequestView {
  id: string;
  /** The name the client registered with ("Home Assistant"). */
  client: string;
  /** Where its answer goes: the host of its redirect address ("my.home-assistant.io"). */
  redirect_host: string;
  /** The address of the machine whose browser asked ("192.168.1.20"): two requests named alike differ here. */
  from: string;
  /** Four letters and digits the asking browser's page shows too ("K7QM"): the parent checks they match. */
  pairing: string;
  asked_at: string;
}

/** `GET /api/assistants`. */
export interface AssistantsList {
  assistants: AssistantView[];
  requests: AssistantRequestView[];
  /** The MCP server's address to paste into a client, when this request's own address tells it. */
  mcp_url: string;
}

/** `POST /api/assistants`: the new assistant and its token, shown once. */
export interface AssistantMade {
  assistant: AssistantView;
  token: string;
  mcp_url: string;
}
