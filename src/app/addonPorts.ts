import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import type {SupervisorAccess} from "../broker/choice.js";
import type {LoadedConfig} from "../config/load.js";
import {errorMessage} from "../core/errors.js";
import {httpRequest, jsonObject} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";

/** What the Supervisor says about this add-on's ports (`GET /addons/self/info`). */
export interface AddonPorts {
  /** The ingress port it picked (config.yaml has `ingress_port: 0`). */
  ingressPort: number;
  /** The Network tab: container port ("8080/tcp") → the host port chosen there, null when switched off. */
  network: Record<string, number | null>;
}

/** The file the image's health check reads the panel's port from (the Supervisor picks it at each start). */
export const INGRESS_PORT_FILE = "ingress-port";

/**
 * On the host's network (config.yaml `host_network: true`) the Supervisor maps no ports: the add-on
 * listens on the host ports itself. The ingress port is the one the Supervisor picked, the audio
 * and broker ports the ones chosen on the Network tab, so an install keeps the host ports it had.
 */
export async function askAddonPorts(supervisor: SupervisorAccess, tries = 5, waitMs = 1000): Promise<AddonPorts> {
  let last = "";
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      return await addonInfo(supervisor);
    } catch (err) {
      last = errorMessage(err);
      if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  throw new Error(`The Supervisor did not say which ports this add-on has (${last}): restart the add-on`);
}

async function addonInfo(supervisor: SupervisorAccess): Promise<AddonPorts> {
  const res = await httpRequest(`${supervisor.url}/addons/self/info`, {
    headers: {Authorization: `Bearer ${supervisor.token}`},
    timeoutMs: 5000,
  });
  const body = jsonObject(res.text()) as {result?: string; message?: string; data?: Record<string, unknown>};
  if (!res.ok || body.result !== "ok" || !body.data) throw new Error(body.message ?? `it answered ${res.status}`);
  const ingressPort = Number(body.data.ingress_port);
  if (!Number.isInteger(ingressPort) || ingressPort < 1 || ingressPort > 65535)
    throw new Error(`its ingress_port ${JSON.stringify(body.data.ingress_port)} is no port`);
  const network: Record<string, number | null> = {};
  const given = body.data.network;
  if (given && typeof given === "object")
    for (const [key, value] of Object.entries(given)) {
      const port = Number(value);
      network[key] = value !== null && Number.isInteger(port) && port > 0 && port <= 65535 ? port : null;
    }
  return {ingressPort, network};
}

/**
 * The listeners' ports from what the Supervisor said, unless a flag or YSS_ variable moved them
 * (running the image elsewhere, tests). The built-in broker without a host port stays on this
 * machine on a port of its own: 1883 of the host is the Mosquitto add-on's.
 */
export function useAddonPorts(loaded: LoadedConfig, ports: AddonPorts): {brokerHost?: string} {
  const {config, origins} = loaded;
  const chosen = (key: string) => {
    const origin = origins[key];
    return origin !== undefined && !origin.startsWith("options file");
  };
  if (!chosen("ingress_port")) config.ingress_port = ports.ingressPort;
  if (!chosen("audio_port")) config.audio_port = ports.network["8080/tcp"] ?? 8080;
  if (chosen("embedded_broker_port")) return {};
  const broker = ports.network["1883/tcp"];
  if (broker) {
    config.embedded_broker_port = broker;
    return {};
  }
  config.embedded_broker_port = 0;
  return {brokerHost: "127.0.0.1"};
}

/** Tell the image's health check (Dockerfile HEALTHCHECK) where the panel listens. */
export async function noteIngressPort(config: {data_dir: string; ingress_port: number}): Promise<void> {
  await mkdir(config.data_dir, {recursive: true});
  await writeFile(path.join(config.data_dir, INGRESS_PORT_FILE), `${config.ingress_port}\n`);
}

/** All of the above at the add-on's start: undefined (and the reason logged) when it cannot run. */
export async function addonNetwork(
  loaded: LoadedConfig,
  supervisor: SupervisorAccess,
  log: Logger,
): Promise<{brokerHost?: string} | undefined> {
  try {
    const chosen = useAddonPorts(loaded, await askAddonPorts(supervisor));
    await noteIngressPort(loaded.config);
    const {ingress_port, audio_port, embedded_broker_port} = loaded.config;
    const broker = chosen.brokerHost ? "this machine only" : `port ${embedded_broker_port}`;
    log.info(
      `On the host's network: panel (ingress) on port ${ingress_port}, audio on ${audio_port}, built-in broker on ${broker}`,
    );
    return chosen;
  } catch (err) {
    log.error(errorMessage(err));
    return undefined;
  }
}
