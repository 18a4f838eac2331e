import {expect} from "vitest";
import {
  type AuthenticateHeader,
  HaFlowError,
  HaMcpClient,
  MY_AUTH_CALLBACK_PATH,
  type OAuthConfig,
  type RegisteredClient,
  type ResourceMetadata,
} from "./haMcpClient.js";
import {call} from "./http.js";
import {waitFor} from "./players.js";

/**
 * Home Assistant's MCP config flow walked against the service at `adminUrl`, step by step, for tests
 * to check each step (test/helpers/haMcpClient.ts is the port of HA's code each step calls). The
 * redirect_uri is HA's with My Home Assistant (config_entry_oauth2_flow.async_get_redirect_uri).
 */
export const HA_REDIRECT = MY_AUTH_CALLBACK_PATH;

/** One page load by a browser: a redirect on our own origin is followed, one elsewhere is where it leaves. */
export interface BrowserLoad {
  status: number;
  /** The address loaded last (ours). */
  url: string;
  /** Where the browser was sent off our origin (HA's redirect_uri), if it was. */
  leftTo?: URL;
  text: string;
}

/**
 * The cookies a browser keeps for our origin (RFC 6265, as much as the sign-in needs: name, value,
 * Path, expiry): a browser sends back what the authorize page set, so this stand-in does too.
 */
export class CookieJar {
  readonly #cookies = new Map<string, {value: string; path: string}>();

  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const attribute = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const expires = attribute("expires");
      const maxAge = attribute("max-age");
      if ((expires && Date.parse(expires) <= Date.now()) || (maxAge !== undefined && Number(maxAge) <= 0))
        this.#cookies.delete(name);
      else this.#cookies.set(name, {value: pair.slice(at + 1), path: attribute("path") ?? "/"});
    }
  }

  header(url: string): string {
    const {pathname} = new URL(url);
    return [...this.#cookies]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }
}

export async function browse(url: string, jar = new CookieJar()): Promise<BrowserLoad> {
  const origin = new URL(url).origin;
  let at = url;
  for (let hops = 0; hops < 5; hops++) {
    const cookie = jar.header(at);
    const res = await fetch(at, {redirect: "manual", headers: cookie ? {cookie} : {}});
    jar.take(res.headers.getSetCookie());
    const location = res.headers.get("location");
    const text = await res.text();
    if (res.status < 300 || res.status >= 400 || !location) return {status: res.status, url: at, text};
    const next = new URL(location, at);
    if (next.origin !== origin) return {status: res.status, url: at, leftTo: next, text};
    at = next.toString();
  }
  throw new Error(`more than 5 redirects from ${url}`);
}

/** What the flow holds once HA's browser shows our authorize page. */
export interface HaFlowAt {
  ha: HaMcpClient;
  mcpUrl: string;
  header: AuthenticateHeader | null;
  resourceMetadata: ResourceMetadata | null;
  oauth: OAuthConfig;
  scopes: string[] | null;
  client: RegisteredClient;
  authorize: ReturnType<HaMcpClient["authorizeUrl"]>;
  page: BrowserLoad;
  /** The cookies of the browser HA opened the authorize page in. */
  browser: CookieJar;
}

/**
 * async_step_user/hassio_confirm → validate_input without a token (invalid_auth) → async_step_auth_discovery
 * → _async_register_dynamic_client → async_step_auth (the authorize URL the browser opens).
 * `redirectUri` is the one HA puts in the authorize URL (HA's own unless a test changes it).
 */
export async function haFlowToAuthorizePage(adminUrl: string, redirectUri = HA_REDIRECT): Promise<HaFlowAt> {
  const ha = new HaMcpClient();
  const mcpUrl = `${adminUrl}/mcp`;
  const refused = await ha.validateInput(mcpUrl).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(HaFlowError);
  expect((refused as HaFlowError).reason).toBe("invalid_auth");
  const header = (refused as HaFlowError).authHeader;
  const {resourceMetadata, oauth, scopes} = await ha.discoverAuth(mcpUrl, header);
  const client = await ha.registerClient(
    oauth.registrationEndpoint as string,
    HA_REDIRECT,
    oauth.tokenEndpointAuthMethods,
    scopes,
  );
  const authorize = ha.authorizeUrl({authorizeUrl: oauth.authorizeUrl, clientId: client.clientId, redirectUri, scopes});
  const browser = new CookieJar();
  const page = await browse(authorize.url, browser);
  return {ha, mcpUrl, header, resourceMetadata, oauth, scopes, client, authorize, page, browser};
}

/** The request waiting on the Assistants page (`GET /api/assistants` → requests), answered by a parent. */
export async function parentAnswers(adminUrl: string, answer: "approve" | "deny"): Promise<void> {
  const listed = await call("GET", `${adminUrl}/api/assistants`);
  const requests = listed.body.requests as Array<{id: string; client: string; redirect_host: string}>;
  expect(requests).toHaveLength(1);
  expect(requests[0]).toMatchObject({client: "Home Assistant", redirect_host: "my.home-assistant.io"});
  const answered = await call("POST", `${adminUrl}/api/assistants/requests/${requests[0]?.id}/${answer}`);
  expect(answered).toEqual({status: 200, body: {answered: answer}});
}

/** The browser's next load of the waiting page (its meta refresh), once a parent answered: where it leaves to. */
export async function browserReturns(flow: HaFlowAt): Promise<URL> {
  const load = await browse(flow.page.url, flow.browser);
  expect(load.status).toBe(302);
  expect(load.leftTo).toBeDefined();
  return load.leftTo as URL;
}

/** HA's OAuth2AuthorizeCallbackView → async_step_creation: the code traded with the flow's PKCE verifier. */
export function exchange(flow: HaFlowAt, code: string, codeVerifier = flow.authorize.codeVerifier) {
  return flow.ha.exchangeCode({
    tokenUrl: flow.oauth.tokenUrl,
    client: flow.client,
    code,
    state: flow.authorize.state,
    codeVerifier,
  });
}

/** The whole sign-in as a parent approves it: HA's entry token. */
export async function haSignedIn(adminUrl: string) {
  const flow = await haFlowToAuthorizePage(adminUrl);
  await parentAnswers(adminUrl, "approve");
  const back = await browserReturns(flow);
  const token = await exchange(flow, back.searchParams.get("code") as string);
  return {flow, token};
}

/** A second has passed since `atS` (access tokens name the second they end at). */
export async function nextSecond(atS: number): Promise<void> {
  await waitFor(() => Math.floor(Date.now() / 1000) > Math.floor(atS), "the clock's next second", 3000);
}

/** An HA flow error's reason, or "ok". */
export async function reasonOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => "ok",
    (err: unknown) => (err instanceof HaFlowError ? err.reason : `thrown: ${String(err)}`),
  );
}
