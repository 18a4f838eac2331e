import type {SupervisorAccess} from "../broker/choice.js";
import {errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {httpRequest, jsonObject} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";

/**
 * Home Assistant's own URLs, trusted by the fetch policy without configuration: its TTS proxy hands
 * out `http://<its address>:8123/api/tts_proxy/…`, always inside the home network. They are the
 * Supervisor, Core's internal and external URLs, and Core's port on the host's own addresses (the
 * URL Core uses when none is configured). Best effort: what cannot be learnt is said in the log,
 * and `fetch_allow` still works.
 */
export async function trustHomeAssistantUrls(
  supervisor: SupervisorAccess & {token: string},
  policy: FetchPolicy,
  log: Logger,
): Promise<string[]> {
  const trusted = [supervisor.url, "http://homeassistant:8123", "http://homeassistant.local:8123"];
  const get = async (path: string): Promise<Record<string, unknown>> => {
    const res = await httpRequest(`${supervisor.url}${path}`, {
      headers: {Authorization: `Bearer ${supervisor.token}`},
      timeoutMs: 10_000,
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    const body = jsonObject(res.text()) as {data?: unknown};
    // The Supervisor wraps answers in {result, data}; Core's own API does not.
    return (typeof body.data === "object" && body.data !== null ? body.data : body) as Record<string, unknown>;
  };
  try {
    const config = await get("/core/api/config");
    for (const key of ["internal_url", "external_url"]) {
      const url = config[key];
      if (typeof url === "string" && url) trusted.push(url);
    }
    const core = await get("/core/info");
    const port = typeof core.port === "number" ? core.port : 8123;
    const scheme = core.ssl === true ? "https" : "http";
    const network = await get("/network/info");
    for (const address of hostAddresses(network)) trusted.push(`${scheme}://${address}:${port}`);
  } catch (err) {
    log.warning(
      `Could not learn Home Assistant's URLs (${errorMessage(err)}); media from it at an address of its own needs that address in fetch_allow`,
    );
  }
  for (const url of trusted) policy.trustOrigin(url);
  log.debug(`Fetches trusted without fetch_allow: ${trusted.join(", ")}`);
  return trusted;
}

/** The host's IPv4 and IPv6 addresses from the Supervisor's `/network/info` ("192.168.1.5/24" → the address). */
function hostAddresses(network: Record<string, unknown>): string[] {
  const interfaces = Array.isArray(network.interfaces) ? network.interfaces : [];
  const addresses: string[] = [];
  for (const nic of interfaces as Array<Record<string, unknown>>) {
    for (const family of ["ipv4", "ipv6"]) {
      const config = nic?.[family] as {address?: unknown} | undefined;
      const list = Array.isArray(config?.address) ? config.address : [];
      for (const entry of list) {
        if (typeof entry !== "string") continue;
        const address = entry.split("/")[0] as string;
        addresses.push(family === "ipv6" ? `[${address}]` : address);
      }
    }
  }
  return addresses;
}
