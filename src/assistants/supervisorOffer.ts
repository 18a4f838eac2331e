import {homeNetworkAddress} from "../core/address.js";
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
 */
export class SupervisorOffer {
  readonly #supervisor: SupervisorReach;
  readonly #log: Logger;
  #uuid?: string;

  constructor(supervisor: SupervisorReach, log: Logger) {
    this.#supervisor = supervisor;
    this.#log = log;
  }

  /**
   * The host's address on the home network as the Supervisor knows it (`GET /network/info`: the
   * primary interface's first IPv4), else this machine's own first one; undefined without either.
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
        const first = Array.isArray(list) ? list.find((a): a is string => typeof a === "string") : undefined;
        if (first) return first.split("/")[0];
      }
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
      this.#uuid = typeof body.data?.uuid === "string" ? body.data.uuid : undefined;
      this.#log.info(`The MCP server ${url} is offered to Home Assistant: its Integrations page proposes it`);
    } catch (err) {
      this.#log.warning(
        `The Supervisor did not take the MCP server's offer (${errorMessage(err)}): add ${url} by hand in Home Assistant's Model Context Protocol integration`,
      );
    }
  }

  /** Taken back at stop: an offer is one address, and the next start offers the one it has then. */
  async withdraw(): Promise<void> {
    const uuid = this.#uuid;
    this.#uuid = undefined;
    if (!uuid) return;
    try {
      await httpRequest(`${this.#supervisor.url}/discovery/${encodeURIComponent(uuid)}`, {
        method: "DELETE",
        headers: {Authorization: `Bearer ${this.#supervisor.token}`},
        timeoutMs: 5000,
      });
    } catch (err) {
      this.#log.debug(`The MCP server's offer was not taken back (${errorMessage(err)})`);
    }
  }
}
