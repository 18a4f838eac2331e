import type {Config} from "../config/schema.js";
import {errorMessage} from "../core/errors.js";
import {httpRequest, jsonObject} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";

/** Where the local MQTT traffic goes: our own Aedes, or a broker someone else runs. */
export type BrokerChoice =
  | {kind: "embedded"; reason: string}
  | {kind: "external"; url: string; username?: string; password?: string; reason: string};

export interface SupervisorAccess {
  /** `http://supervisor` inside Home Assistant; tests point it at a fake. */
  url: string;
  token?: string;
}

/**
 * `auto` (docs/home-assistant-mqtt.md, "MQTT and Home Assistant entities"): a configured `mqtt_url` wins; else the broker the Supervisor offers (the one
 * Home Assistant's MQTT integration already uses, so discovery just works); else our own.
 */
export async function chooseBroker(config: Config, supervisor: SupervisorAccess, log: Logger): Promise<BrokerChoice> {
  const configured = (): BrokerChoice => ({
    kind: "external",
    url: config.mqtt_url as string,
    username: config.mqtt_username,
    password: config.mqtt_password,
    reason: "mqtt_url is configured",
  });
  if (config.mqtt_mode === "embedded") return {kind: "embedded", reason: "mqtt_mode is 'embedded'"};
  if (config.mqtt_mode === "external") return configured();
  if (config.mqtt_url) return configured();
  if (!supervisor.token) return {kind: "embedded", reason: "not running under Home Assistant's Supervisor"};
  try {
    const offered = await supervisorMqtt(supervisor);
    return {...offered, kind: "external", reason: "offered by the Supervisor"};
  } catch (err) {
    log.warning(`No MQTT broker from the Supervisor (${errorMessage(err)}); starting the embedded broker instead`);
    return {kind: "embedded", reason: `the Supervisor offered no broker (${errorMessage(err)})`};
  }
}

/** `GET /services/mqtt`: `{result, data: {host, port, ssl, username, password, protocol}}`. */
async function supervisorMqtt(
  supervisor: SupervisorAccess,
): Promise<{url: string; username?: string; password?: string}> {
  const res = await httpRequest(`${supervisor.url}/services/mqtt`, {
    headers: {Authorization: `Bearer ${supervisor.token}`},
    timeoutMs: 5000,
  });
  const body = jsonObject(res.text()) as {
    result?: string;
    message?: string;
    data?: Record<string, unknown>;
  };
  if (!res.ok || body.result !== "ok" || !body.data)
    throw new Error(body.message ?? `the Supervisor answered ${res.status}`);
  const {host, port, ssl, username, password} = body.data;
  // The docs show the port as a string, the Supervisor validates a number: take either.
  const portNumber = Number(port);
  if (typeof host !== "string" || !host || !Number.isInteger(portNumber))
    throw new Error("the Supervisor's MQTT service has no usable host and port");
  return {
    url: `${ssl === true ? "mqtts" : "mqtt"}://${host}:${portNumber}`,
    username: typeof username === "string" ? username : undefined,
    password: typeof password === "string" ? password : undefined,
  };
}
