import {createHash, randomBytes} from "node:crypto";
import mqtt, {type MqttClient} from "mqtt";
import {type SimulatorOptions, YotoSimulator} from "../../src/sim/simulator.js";
import {atFileEnd} from "./fileEnd.js";

export const CLIENT_ID = "test-client-id";
export const REDIRECT = "http://127.0.0.1:8787/callback";

export async function startSimulator(opts: SimulatorOptions = {}): Promise<YotoSimulator> {
  const sim = new YotoSimulator(opts);
  // Stopped with the test file even when the test that started it failed first; once only.
  let stopping: Promise<void> | undefined;
  const stop = sim.stop.bind(sim);
  sim.stop = () => (stopping ??= stop());
  atFileEnd(() => sim.stop());
  await sim.start();
  return sim;
}

/** Walk the PKCE flow against the simulator the way a browser and the service would. */
export async function pkceTokens(
  sim: YotoSimulator,
): Promise<{access_token: string; refresh_token: string; expires_in: number}> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = new URL(`${sim.url}/authorize`);
  for (const [k, v] of Object.entries({
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: "offline_access family:devices:control",
    state: "xyz",
  }))
    authorize.searchParams.set(k, v);
  const redirect = await fetch(authorize, {redirect: "manual"});
  const code = new URL(redirect.headers.get("location") as string).searchParams.get("code") as string;
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: "POST",
    headers: {"Content-Type": "application/x-www-form-urlencoded"},
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: CLIENT_ID,
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    }),
  });
  return (await res.json()) as {access_token: string; refresh_token: string; expires_in: number};
}

export function connectMqtt(
  sim: YotoSimulator,
  token: string,
  opts: {clientId?: string; username?: string} = {},
): Promise<MqttClient> {
  return mqtt.connectAsync(sim.endpoints.mqttUrl, {
    username: opts.username ?? "_?x-amz-customauthorizer-name=PublicJWTAuthorizer",
    password: token,
    clientId: opts.clientId ?? `TEST${randomBytes(6).toString("hex")}`,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
}

/** The next message on `topic`, parsed. */
export function nextMessage(client: MqttClient, topic: string, timeoutMs = 3000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("message", onMessage);
      reject(new Error(`no message on '${topic}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off("message", onMessage);
      resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
    };
    client.on("message", onMessage);
  });
}

/** A one-chapter, one-track card "songs" on the simulated account. */
export function addSongsCard(sim: YotoSimulator): void {
  sim.addCard({
    cardId: "songs",
    title: "Songs",
    content: {
      chapters: [
        {
          key: "01",
          title: "One",
          tracks: [{key: "01", title: "Song", trackUrl: "yoto:#x", type: "audio", duration: 600}],
        },
      ],
    },
  });
}

/** Link a running account to the simulator the way a person does: open, land, paste back. */
export {linkThroughBrowser as linkAccount} from "../../src/sim/browser.js";

/** A card of one chapter and one 15-minute track, both named as the card: what a family's own card looks like to voice. */
export function addTitledCard(sim: YotoSimulator, cardId: string, title: string): void {
  sim.addCard({
    cardId,
    title,
    content: {
      chapters: [{key: "01", title, tracks: [{key: "01", title, trackUrl: "yoto:#x", type: "audio", duration: 900}]}],
    },
  });
}
