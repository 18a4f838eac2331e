import {isIP} from "node:net";
import {homeNetworkAddress, isHassioInternal, isLoopback} from "../core/address.js";
import {errorMessage} from "../core/errors.js";
import {httpRequest, jsonObject} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";

export interface SupervisorReach {
  url: string;
  token: string;
}

/**
 * The MCP server offered to Home Assistant through the Supervisor's discovery (`POST /discovery`,
 * service `mcp`, config `{url}`), which config.yaml's `discovery: [mcp]` allows. Home Assistant's
 * MCP integration takes it in `async_step_hassio` (core `homeassistant/components/mcp/config_flow.py`),
 * reading only `url`, and proposes the server on its Integrations page. The address is the host's
 * own on the home network (the add-on listens on the host's network): Core reaches it, and so does
 * the browser a parent approves the sign-in from.
 *
 * The offer is never taken back: the Supervisor keeps one discovery per add-on and service, and
 * answers an offer of the same service with the same one (its `Discovery.send`), the address
 * updated in it if it changed. Withdrawn at each stop, the next start's offer was a new one, and
 * Home Assistant proposed the same server a second time.
 */
export class SupervisorOffer {
  readonly #supervisor: SupervisorReach;
  readonly #log: Logger;

  constructor(supervisor: SupervisorReach, log: Logger) {
    this.#supervisor = supervisor;
    this.#log = log;
  }

  /**
   * The host's address on the home network as the Supervisor knows it (`GET /network/info`, which
   * config.yaml's `hassio_api` opens: the primary interface first, the first IPv4 a laptop can
   * reach), else this machine's own first one; undefined without either. Never the loopback nor
   * Home Assistant's internal bridge (172.30.32.0/23): the parent's browser must open it.
   */
  async hostAddress(): Promise<string | undefined> {
    try {
      const res = await httpRequest(`${this.#supervisor.url}/network/info`, {
        headers: {Authorization: `Bearer ${this.#supervisor.token}`},
        timeoutMs: 5000,
      });
      const body = jsonObject(res.text()) as {data?: {interfaces?: unknown}};
      const nics = Array.isArray(body.data?.interfaces) ? (body.data.interfaces as Array<Record<string, unknown>>) : [];
      const ordered = [...nics.filter((n) => n?.primary === true), ...nics.filter((n) => n?.primary !== true)];
      for (const nic of ordered) {
        const list = (nic?.ipv4 as {address?: unknown} | undefined)?.address;
        for (const cidr of Array.isArray(list) ? list : []) {
          const address = typeof cidr === "string" ? cidr.split("/")[0] : undefined;
          if (address && reachable(address)) return address;
        }
      }
      if (!res.ok) this.#log.debug(`The Supervisor did not say the host's addresses (it answered ${res.status})`);
    } catch (err) {
      this.#log.debug(`The Supervisor did not say the host's addresses (${errorMessage(err)})`);
    }
    return homeNetworkAddress();
  }

  /** Offer `url`; what the Supervisor refuses is said in the log, and the panel still shows the address. */
  async offer(url: string): Promise<void> {
    try {
      const res = await httpRequest(`${this.#supervisor.url}/discovery`, {
        method: "POST",
        headers: {Authorization: `Bearer ${this.#supervisor.token}`, "Content-Type": "application/json"},
        body: JSON.stringify({service: "mcp", config: {url}}),
        timeoutMs: 10_000,
      });
      const body = jsonObject(res.text()) as {result?: string; message?: string; data?: {uuid?: unknown}};
      if (!res.ok || body.result !== "ok") throw new Error(body.message ?? `it answered ${res.status}`);
      this.#log.info(`The MCP server ${url} is offered to Home Assistant: its Integrations page proposes it`);
    } catch (err) {
      this.#log.warning(
        `The Supervisor did not take the MCP server's offer (${errorMessage(err)}): add ${url} by hand in Home Assistant's Model Context Protocol integration`,
      );
    }
  }
}

/** An IPv4 address a laptop on the home network can open: not the loopback, not Home Assistant's internal bridge. */
function reachable(address: string): boolean {
  return isIP(address) === 4 && !isLoopback(address) && !isHassioInternal(address);
}
