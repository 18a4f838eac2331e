/**
 * A test-side stand-in for Home Assistant core's MCP client integration, walking its config flow,
 * OAuth and tool calls against a base URL the way its Python code does.
 *
 * Upstream read (behaviour only; no code or prose copied):
 * - home-assistant/core `homeassistant/components/mcp/config_flow.py` @ 00b00102104c57ec28e05371131a97d38c4be956
 *   (validate_input, async_discover_protected_resource, _protected_resource_urls,
 *   _resource_metadata_from_document, async_discover_authorization_server,
 *   _authorization_server_discovery_paths, _async_fetch_any, _string_list, _select_scopes,
 *   extra_authorize_data, MCP_DISCOVERY_HEADERS)
 * - `homeassistant/components/mcp/registration.py` @ 00b00102104c57ec28e05371131a97d38c4be956
 * - `homeassistant/components/mcp/auth.py` @ 048ce0eaa9fbd7e35325ff72e17a3ad25e53efe9 (AuthenticateHeader)
 * - `homeassistant/components/mcp/coordinator.py` @ 1400c8be733a88bbd7b03b7f94bbd593d313562e
 * - `homeassistant/components/mcp/const.py` (DCR_CLIENT_NAME, TOKEN_ENDPOINT_AUTH_*; stored copy without a
 *   commit id from the index); `application_credentials.py` (McpRegisteredOAuth2Implementation, same)
 * - `homeassistant/helpers/config_entry_oauth2_flow.py` @ 005d61300a24be809f316d08884aab20d2236f9e
 * - `homeassistant/helpers/llm.py` (APIInstance.async_call_tool validates args with tool.parameters)
 * - modelcontextprotocol/python-sdk `src/mcp/client/streamable_http.py`, `src/mcp/client/session.py`
 *   @ v1.29.0 (98b7159cb89274964055d2c016e3360a551280d0)
 */
import {createHash, createHmac, randomBytes} from "node:crypto";
import {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {StreamableHTTPClientTransport} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {type ConversionError, convertToVoluptuous, type Validator, validate} from "./voluptuousOpenapi.js";

// const.py
export const DCR_CLIENT_NAME = "Home Assistant";
export type TokenEndpointAuthMethod = "none" | "client_secret_post" | "client_secret_basic";
/**
 * registration.py `select_token_endpoint_auth_method` walks const.SUPPORTED_TOKEN_ENDPOINT_AUTH_METHODS;
 * its docstring says public clients are preferred when listed. The stored const.py lacked the tuple, so the
 * order of the two confidential methods here is an assumption (the Literal's order).
 */
export const SUPPORTED_TOKEN_ENDPOINT_AUTH_METHODS: TokenEndpointAuthMethod[] = [
  "none",
  "client_secret_post",
  "client_secret_basic",
];
// config_entry_oauth2_flow.py
export const MY_AUTH_CALLBACK_PATH = "https://my.home-assistant.io/redirect/oauth";
export const AUTH_CALLBACK_PATH = "/auth/external/callback";
// config_flow.py
export const MCP_DISCOVERY_HEADERS = {"MCP-Protocol-Version": "2025-03-26"};
const OAUTH_PROTECTED_RESOURCE_ENDPOINT = "/.well-known/oauth-protected-resource";

/** A config flow abort or form error, with HA's reason string. */
export class HaFlowError extends Error {
  constructor(
    readonly reason: string,
    message?: string,
    readonly authHeader: AuthenticateHeader | null = null,
  ) {
    super(message ? `${reason}: ${message}` : reason);
  }
}

export interface AuthenticateHeader {
  resourceMetadataUrl: string;
  scopes: string[] | null;
}

/** auth.py AuthenticateHeader.from_header: resource_metadata="..." (joined to the MCP URL), scope="a b". */
export function parseAuthenticateHeader(url: string, header: string | null): AuthenticateHeader | null {
  const match = header ? /resource_metadata="([^"]+)"/.exec(header) : null;
  if (!header || !match) return null;
  const scope = /scope="([^"]+)"/.exec(header);
  return {
    resourceMetadataUrl: new URL(match[1] as string, url).toString(),
    scopes: scope ? (scope[1] as string).split(" ") : null,
  };
}

export interface ResourceMetadata {
  authorizationServers: string[];
  supportedScopes: unknown;
}

export interface OAuthConfig {
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[] | null;
  registrationEndpoint: string | null;
  tokenEndpointAuthMethods: string[] | null;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  method: TokenEndpointAuthMethod;
}

export interface HaToken extends Record<string, unknown> {
  access_token: string;
  expires_in: number;
  expires_at: number;
}

export interface HaTool {
  name: string;
  description: string | undefined;
  inputSchema: Record<string, unknown>;
  parameters: Validator;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
}

/** `yarl.URL(url).with_path(path)`: same origin, new path, no query or fragment. */
function withPath(url: string, path: string): string {
  const u = new URL(url);
  return `${u.origin}${path}`;
}

/** Python `int()` on a JSON value, as config_entry_oauth2_flow forces expires_in. */
function pyInt(value: unknown): number {
  if (typeof value === "boolean") return Number(value);
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw new HaFlowError("oauth_error", `invalid literal for int(): ${JSON.stringify(value)}`);
}

export class HaMcpClient {
  /** Every HTTP request the helper made, in order, for tests to inspect. */
  readonly requests: RecordedRequest[] = [];
  private readonly jwtSecret = randomBytes(32).toString("hex");

  /** A fetch that records each request and its answer's status. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const url = input instanceof Request ? input.url : input.toString();
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((v, k) => {
      headers[k] = v;
    });
    const response = await fetch(input, init);
    this.requests.push({
      method,
      url,
      headers,
      body: typeof init?.body === "string" ? init.body : init?.body?.toString(),
      status: response.status,
    });
    return response;
  };

  /**
   * coordinator.py `mcp_client` + config_flow.py `validate_input`: streamable HTTP, an Authorization
   * header only when a token is held, initialize, then the tools capability check.
   */
  async validateInput(url: string, token?: string): Promise<{title: string}> {
    try {
      new URL(url);
    } catch {
      throw new HaFlowError("invalid_url");
    }
    return this.session(url, token, async (client) => {
      if (!client.getServerCapabilities()?.tools)
        throw new HaFlowError("missing_capabilities", `MCP Server ${url} does not support 'Tools' capability`);
      return {title: client.getServerVersion()?.name ?? ""};
    });
  }

  /**
   * One `mcp_client` context: connect (initialize + notifications/initialized), run `body`, then close,
   * sending DELETE when the server issued a session id (python-sdk streamable_http_client,
   * terminate_on_close=True; a 405 or other failure there is only logged).
   * HTTP errors map as validate_input maps them: 401 -> invalid_auth with the parsed WWW-Authenticate,
   * 405 -> HA would retry over the legacy SSE client (reported here as cannot_connect), other -> cannot_connect.
   */
  async session<T>(url: string, token: string | undefined, body: (client: Client) => Promise<T>): Promise<T> {
    const headers: Record<string, string> = token === undefined ? {} : {Authorization: `Bearer ${token}`};
    const transport = new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers}, fetch: this.fetch});
    const client = new Client({name: "mcp", version: "1.0.0"});
    const before = this.requests.length;
    try {
      await client.connect(transport);
    } catch (err) {
      const failed = this.requests.slice(before).find((r) => r.method === "POST" && r.status >= 400);
      if (failed?.status === 401) {
        const header = await this.lastAuthenticateHeader(url, token);
        throw new HaFlowError("invalid_auth", undefined, header);
      }
      if (failed?.status === 405)
        throw new HaFlowError("cannot_connect", "405 on POST: HA falls back to its SSE client");
      throw new HaFlowError("cannot_connect", err instanceof Error ? err.message : String(err));
    }
    try {
      return await body(client);
    } finally {
      if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
  }

  /** The SDK error does not carry headers: repeat the initialize POST to read WWW-Authenticate. */
  private async lastAuthenticateHeader(url: string, token: string | undefined): Promise<AuthenticateHeader | null> {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        ...(token === undefined ? {} : {authorization: `Bearer ${token}`}),
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: {protocolVersion: "2025-11-25", capabilities: {}, clientInfo: {name: "mcp", version: "1.0.0"}},
      }),
    });
    await response.body?.cancel();
    return parseAuthenticateHeader(url, response.headers.get("www-authenticate"));
  }

  /** config_flow.py `_async_fetch_any` for one URL: GET, no extra headers; 404 -> not found. */
  private async fetchOne(url: string): Promise<Response | "not_found"> {
    let response: Response;
    try {
      response = await this.fetch(url);
    } catch (err) {
      throw new HaFlowError("cannot_connect", String(err));
    }
    if (response.status === 404) return "not_found";
    if (response.status >= 400) throw new HaFlowError("cannot_connect", `${response.status} from ${url}`);
    return response;
  }

  /**
   * config_flow.py async_step_auth_discovery: with a header, protected-resource metadata first (header URL,
   * then /.well-known/oauth-protected-resource{path}, then the root one), then the first authorization
   * server; without a header, authorization-server discovery against the MCP URL itself.
   */
  async discoverAuth(
    url: string,
    header: AuthenticateHeader | null,
  ): Promise<{resourceMetadata: ResourceMetadata | null; oauth: OAuthConfig; scopes: string[] | null}> {
    let resourceMetadata: ResourceMetadata | null = null;
    let oauth: OAuthConfig;
    if (header) {
      resourceMetadata = await this.discoverProtectedResource(header.resourceMetadataUrl, url);
      oauth = await this.discoverAuthorizationServer(resourceMetadata.authorizationServers[0] as string);
    } else {
      oauth = await this.discoverAuthorizationServer(url);
    }
    return {resourceMetadata, oauth, scopes: selectScopes(header, oauth, resourceMetadata)};
  }

  /** config_flow.py async_discover_protected_resource + _resource_metadata_from_document. */
  async discoverProtectedResource(authUrl: string, mcpServerUrl: string): Promise<ResourceMetadata> {
    const parsed = new URL(mcpServerUrl);
    const urls: string[] = authUrl ? [authUrl] : [];
    for (const u of [
      withPath(mcpServerUrl, `${OAUTH_PROTECTED_RESOURCE_ENDPOINT}${parsed.pathname}`),
      withPath(mcpServerUrl, OAUTH_PROTECTED_RESOURCE_ENDPOINT),
    ]) {
      if (!urls.includes(u)) urls.push(u);
    }
    let lastError: HaFlowError | null = null;
    let sawInvalid = false;
    for (const u of urls) {
      let response: Response | "not_found";
      try {
        response = await this.fetchOne(u);
      } catch (err) {
        lastError = err as HaFlowError;
        continue;
      }
      if (response === "not_found") continue;
      let data: unknown;
      try {
        data = await response.json();
      } catch {
        sawInvalid = true;
        continue;
      }
      const doc = data as Record<string, unknown> | null;
      const servers = doc && typeof doc === "object" ? doc.authorization_servers : undefined;
      // The document's `resource` must equal the MCP server URL exactly (string comparison).
      if (!Array.isArray(servers) || servers.length === 0 || !doc?.resource || doc.resource !== mcpServerUrl) {
        sawInvalid = true;
        continue;
      }
      return {authorizationServers: servers as string[], supportedScopes: doc.scopes_supported ?? null};
    }
    if (lastError && !sawInvalid) throw lastError;
    throw new HaFlowError("cannot_connect", "OAuth resource metadata is invalid");
  }

  /**
   * config_flow.py async_discover_authorization_server: the well-known paths of
   * _authorization_server_discovery_paths fetched concurrently, the first success wins; if the failure
   * kept is a 404, default /authorize and /token on the server's origin.
   */
  async discoverAuthorizationServer(authServerUrl: string): Promise<OAuthConfig> {
    const path = new URL(authServerUrl).pathname;
    const paths =
      path && path !== "/"
        ? [
            `/.well-known/oauth-authorization-server${path}`,
            `/.well-known/openid-configuration${path}`,
            `${path}/.well-known/openid-configuration`,
          ]
        : ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"];
    const results = await Promise.allSettled(paths.map((p) => this.fetchOne(withPath(authServerUrl, p))));
    const ok = results.find(
      (r): r is PromiseFulfilledResult<Response> => r.status === "fulfilled" && r.value !== "not_found",
    );
    if (!ok) {
      // _async_fetch_any raises the first error to complete; a NotFoundError means defaults. Order of
      // completion is not reproducible here: any non-404 error wins over 404s.
      const failure = results.find((r) => r.status === "rejected");
      if (failure) throw failure.reason;
      return {
        authorizeUrl: withPath(authServerUrl, "/authorize"),
        tokenUrl: withPath(authServerUrl, "/token"),
        scopes: null,
        registrationEndpoint: null,
        tokenEndpointAuthMethods: null,
      };
    }
    const data = (await ok.value.json()) as Record<string, unknown>;
    let authorizeUrl = String(data.authorization_endpoint);
    let tokenUrl = String(data.token_endpoint);
    if (authorizeUrl.startsWith("/")) authorizeUrl = withPath(authServerUrl, authorizeUrl);
    if (tokenUrl.startsWith("/")) tokenUrl = withPath(authServerUrl, tokenUrl);
    const reg = data.registration_endpoint;
    // registration.py resolve_registration_endpoint: absolute kept, relative joined to the server URL.
    const registrationEndpoint = typeof reg === "string" && reg ? new URL(reg, authServerUrl).toString() : null;
    // _string_list: omitted -> None (RFC 8414 default basic); a non-string list -> [].
    const methods = data.token_endpoint_auth_methods_supported;
    const tokenEndpointAuthMethods =
      "token_endpoint_auth_methods_supported" in data
        ? Array.isArray(methods) && methods.every((m) => typeof m === "string")
          ? methods
          : []
        : null;
    return {
      authorizeUrl,
      tokenUrl,
      scopes: (data.scopes_supported as string[] | undefined) ?? null,
      registrationEndpoint,
      tokenEndpointAuthMethods,
    };
  }

  /** registration.py async_register_dynamic_client + _parse_registration_response. */
  async registerClient(
    registrationEndpoint: string,
    redirectUri: string,
    tokenEndpointAuthMethods: string[] | null,
    scopes: string[] | null,
  ): Promise<RegisteredClient> {
    const method = selectTokenEndpointAuthMethod(tokenEndpointAuthMethods);
    // OAuthClientMetadata.model_dump(mode="json", exclude_none=True) + application_type "web".
    const payload: Record<string, unknown> = {
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: method,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      client_name: DCR_CLIENT_NAME,
      ...(scopes?.length ? {scope: scopes.join(" ")} : {}),
      application_type: "web",
    };
    let response: Response;
    try {
      response = await this.fetch(registrationEndpoint, {
        method: "POST",
        headers: {"content-type": "application/json", accept: "application/json"},
        body: JSON.stringify(payload),
      });
    } catch (err) {
      throw new HaFlowError("cannot_connect", String(err));
    }
    if (response.status !== 200 && response.status !== 201)
      throw new HaFlowError("oauth_registration_failed", `Registration failed with status ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new HaFlowError("oauth_registration_failed", "Registration response was not JSON");
    }
    return parseRegistrationResponse(body, redirectUri, method, scopes);
  }

  /**
   * The URL HA opens: LocalOAuth2Implementation.async_generate_authorize_url (response_type, client_id,
   * redirect_uri, state = HS256 JWT of {flow_id, redirect_uri}) updated with the PKCE implementation's
   * code_challenge + code_challenge_method=S256, then the mcp flow's extra_authorize_data (access_type,
   * prompt, scope when scopes is not None). The code verifier is token_urlsafe(96)[:128].
   */
  authorizeUrl(opts: {
    authorizeUrl: string;
    clientId: string;
    redirectUri: string;
    scopes: string[] | null;
    flowId?: string;
  }): {
    url: string;
    state: string;
    codeVerifier: string;
    codeChallenge: string;
  } {
    const codeVerifier = randomBytes(96).toString("base64url").slice(0, 128);
    const codeChallenge = createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
    const state = this.encodeJwt({
      flow_id: opts.flowId ?? randomBytes(16).toString("hex"),
      redirect_uri: opts.redirectUri,
    });
    const url = new URL(opts.authorizeUrl);
    const params: [string, string][] = [
      ["response_type", "code"],
      ["client_id", opts.clientId],
      ["redirect_uri", opts.redirectUri],
      ["state", state],
      ["code_challenge", codeChallenge],
      ["code_challenge_method", "S256"],
      ["access_type", "offline"],
      ["prompt", "consent"],
      ...(opts.scopes !== null ? ([["scope", opts.scopes.join(" ")]] as [string, string][]) : []),
    ];
    // yarl with_query replaces any query the authorize URL carried.
    url.search = "";
    for (const [k, v] of params) url.searchParams.set(k, v);
    return {url: url.toString(), state, codeVerifier, codeChallenge};
  }

  /** OAuth2AuthorizeCallbackView: the state must decode with HA's secret, else "Invalid state". */
  decodeState(state: string): {flow_id: string; redirect_uri: string} | null {
    const [h, p, s] = state.split(".");
    if (!h || !p || !s) return null;
    if (createHmac("sha256", this.jwtSecret).update(`${h}.${p}`).digest("base64url") !== s) return null;
    return JSON.parse(Buffer.from(p, "base64url").toString());
  }

  private encodeJwt(data: Record<string, unknown>): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const head = `${enc({alg: "HS256", typ: "JWT"})}.${enc(data)}`;
    return `${head}.${createHmac("sha256", this.jwtSecret).update(head).digest("base64url")}`;
  }

  /**
   * async_step_creation: async_resolve_external_data posts grant_type=authorization_code, code,
   * redirect_uri (from the state), code_verifier, client_id, client_secret only if non-empty (a public
   * client's secret is blanked by McpRegisteredOAuth2Implementation). Then: 401 -> oauth_unauthorized,
   * other HTTP error -> oauth_failed, no expires_in -> oauth_error, int(expires_in) failing -> oauth_error,
   * expires_at = now + expires_in.
   */
  async exchangeCode(opts: {
    tokenUrl: string;
    client: RegisteredClient;
    code: string;
    state: string;
    codeVerifier: string;
  }): Promise<HaToken> {
    const state = this.decodeState(opts.state);
    if (!state)
      throw new HaFlowError(
        "invalid_state",
        "Invalid state. Is My Home Assistant configured to go to the right instance?",
      );
    const token = await this.tokenRequest(opts.tokenUrl, opts.client, [
      ["grant_type", "authorization_code"],
      ["code", opts.code],
      ["redirect_uri", state.redirect_uri],
      ["code_verifier", opts.codeVerifier],
    ]);
    if (!("expires_in" in token)) throw new HaFlowError("oauth_error", "Invalid token");
    const expiresIn = pyInt(token.expires_in);
    return {...token, expires_in: expiresIn, expires_at: Date.now() / 1000 + expiresIn} as HaToken;
  }

  /**
   * LocalOAuth2Implementation._async_refresh_token: grant_type=refresh_token, client_id, refresh_token
   * (+ client_secret if any), merged over the old token; async_refresh_token then forces int(expires_in)
   * (a missing one is a KeyError) and sets expires_at. OAuth2Session refreshes when expires_at is within
   * 20 s (CLOCK_OUT_OF_SYNC_MAX_SEC).
   */
  async refresh(opts: {tokenUrl: string; client: RegisteredClient; token: HaToken}): Promise<HaToken> {
    const fresh = await this.tokenRequest(opts.tokenUrl, opts.client, [
      ["grant_type", "refresh_token"],
      ["refresh_token", String(opts.token.refresh_token)],
    ]);
    if (!("expires_in" in fresh)) throw new HaFlowError("oauth_error", "KeyError: 'expires_in'");
    const merged = {...opts.token, ...fresh};
    const expiresIn = pyInt(merged.expires_in);
    return {...merged, expires_in: expiresIn, expires_at: Date.now() / 1000 + expiresIn} as HaToken;
  }

  /** _token_request (form-encoded) or, for client_secret_basic, the Basic header variant. */
  private async tokenRequest(
    tokenUrl: string,
    client: RegisteredClient,
    fields: [string, string][],
  ): Promise<Record<string, unknown>> {
    const body = new URLSearchParams(fields);
    const headers: Record<string, string> = {"content-type": "application/x-www-form-urlencoded"};
    body.set("client_id", client.clientId);
    const secret = client.method === "none" ? "" : client.clientSecret;
    if (client.method === "client_secret_basic") {
      const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
      headers.authorization = `Basic ${Buffer.from(`${enc(client.clientId)}:${enc(secret)}`).toString("base64")}`;
    } else if (secret) {
      body.set("client_secret", secret);
    }
    const response = await this.fetch(tokenUrl, {method: "POST", headers, body: body.toString()});
    if (response.status === 401) throw new HaFlowError("oauth_unauthorized", await response.text());
    if (response.status >= 400) throw new HaFlowError("oauth_failed", `${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /**
   * coordinator.py _async_update_data: one session, tools/list, convert_to_voluptuous on each inputSchema.
   * One schema that fails to convert fails the whole refresh (UpdateFailed), so no tool is offered.
   * A 401 with a token is ConfigEntryAuthFailed (reauth).
   */
  async listTools(url: string, token?: string): Promise<HaTool[]> {
    let listed: Awaited<ReturnType<Client["listTools"]>>;
    try {
      listed = await this.session(url, token, (client) => client.listTools());
    } catch (err) {
      if (err instanceof HaFlowError && err.reason === "invalid_auth" && token !== undefined)
        throw new HaFlowError("reauth", "The MCP server requires authentication");
      throw new HaFlowError("update_failed", err instanceof Error ? err.message : String(err));
    }
    return listed.tools.map((tool) => {
      let parameters: Validator;
      try {
        parameters = convertToVoluptuous(tool.inputSchema);
      } catch (err) {
        throw new HaFlowError(
          "update_failed",
          `Error converting schema ${(err as ConversionError).message}: ${JSON.stringify(tool.inputSchema)}`,
        );
      }
      return {
        name: tool.name,
        description: tool.description,
        inputSchema: tool.inputSchema as Record<string, unknown>,
        parameters,
      };
    });
  }

  /**
   * llm.py APIInstance.async_call_tool then coordinator.py ModelContextProtocolTool.async_call:
   * args validated with the converted schema (vol.Invalid goes back to the model), a fresh session,
   * tools/call, and the result as `model_dump(exclude_unset=True, exclude_none=True)`: only the fields
   * the server sent, isError included as sent. isError is *not* turned into HomeAssistantError; only
   * HTTP status errors and the 10 s timeout are.
   * python-sdk ClientSession.call_tool: when the result is not an error it re-lists tools on that
   * session (its output-schema cache is empty) and requires structuredContent when the tool declares
   * an outputSchema (RuntimeError otherwise; JSON Schema validation of it is not ported here).
   */
  async callTool(
    url: string,
    tool: HaTool,
    args: Record<string, unknown>,
    token?: string,
  ): Promise<{args: unknown; result: Record<string, unknown>}> {
    const validated = validate(tool.parameters, args) as Record<string, unknown>;
    let result: Record<string, unknown>;
    try {
      result = await this.session(url, token, async (client) => {
        const r = (await client.callTool({name: tool.name, arguments: validated})) as Record<string, unknown>;
        if (!r.isError) {
          const listed = await client.listTools();
          const declared = listed.tools.find((t) => t.name === tool.name);
          if (declared?.outputSchema && r.structuredContent === undefined) {
            throw new Error(`Tool ${tool.name} has an output schema but did not return structured content`);
          }
        }
        return r;
      });
    } catch (err) {
      if (err instanceof HaFlowError)
        throw new HaFlowError("home_assistant_error", `Error when calling tool: ${err.message}`);
      throw err;
    }
    const dumped: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result))
      if (v !== null && v !== undefined) dumped[k === "_meta" ? "meta" : k] = v;
    return {args: validated, result: dumped};
  }
}

/** config_flow.py _select_scopes: header scopes, then resource metadata scopes, then server scopes. */
export function selectScopes(
  header: AuthenticateHeader | null,
  oauth: OAuthConfig,
  resource: ResourceMetadata | null,
): string[] | null {
  if (header?.scopes?.length) return header.scopes;
  if (Array.isArray(resource?.supportedScopes) && resource.supportedScopes.length)
    return resource.supportedScopes as string[];
  return oauth.scopes;
}

/** registration.py select_token_endpoint_auth_method: None -> client_secret_basic (RFC 8414 default). */
export function selectTokenEndpointAuthMethod(methods: string[] | null): TokenEndpointAuthMethod {
  if (methods === null) return "client_secret_basic";
  const found = SUPPORTED_TOKEN_ENDPOINT_AUTH_METHODS.find((m) => methods.includes(m));
  if (!found)
    throw new HaFlowError(
      "oauth_registration_failed",
      "Authorization server does not advertise a supported token endpoint auth method",
    );
  return found;
}

/** registration.py _parse_registration_response and its checks, in order. */
export function parseRegistrationResponse(
  body: unknown,
  redirectUri: string,
  requested: TokenEndpointAuthMethod,
  scopes: string[] | null,
): RegisteredClient {
  const fail = (msg: string) => new HaFlowError("oauth_registration_failed", msg);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw fail("Registration response was not an object");
  const p = body as Record<string, unknown>;
  const uris = p.redirect_uris;
  if (uris !== undefined && uris !== null) {
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== "string"))
      throw fail("Registration response redirect_uris was invalid");
    if (!uris.includes(redirectUri)) throw fail("Registration response did not include the redirect URI");
  }
  if (p.scope !== undefined && p.scope !== null) {
    if (typeof p.scope !== "string") throw fail("Registration response scope was invalid");
    const granted = new Set(p.scope.split(/\s+/).filter(Boolean));
    if (!(scopes ?? []).every((s) => granted.has(s)))
      throw fail("Registration response did not grant the requested scopes");
  }
  if (typeof p.client_id !== "string" || !p.client_id) throw fail("Registration response did not include client_id");
  let method: TokenEndpointAuthMethod = requested;
  if (p.token_endpoint_auth_method !== undefined && p.token_endpoint_auth_method !== null) {
    if (!SUPPORTED_TOKEN_ENDPOINT_AUTH_METHODS.includes(p.token_endpoint_auth_method as TokenEndpointAuthMethod)) {
      throw fail("Registration response token_endpoint_auth_method is not supported");
    }
    method = p.token_endpoint_auth_method as TokenEndpointAuthMethod;
  }
  let secret: string;
  if (method === "none") {
    if (p.client_secret === undefined || p.client_secret === null) secret = "";
    else if (typeof p.client_secret === "string") secret = p.client_secret;
    else throw fail("Registration response client_secret was invalid");
  } else {
    if (typeof p.client_secret !== "string" || !p.client_secret)
      throw fail("Registration response did not include client_secret");
    secret = p.client_secret;
  }
  const exp = p.client_secret_expires_at;
  if (exp !== undefined && exp !== null) {
    if (typeof exp !== "number" || !Number.isInteger(exp) || exp < 0)
      throw fail("client_secret_expires_at was invalid");
    if (exp !== 0)
      throw new HaFlowError("oauth_secret_expires", "Authorization server issued a client secret that expires");
  }
  return {clientId: p.client_id, clientSecret: secret, method};
}
