import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {makeTone} from "./audio.js";
import {atFileEnd} from "./fileEnd.js";
import {tempDir} from "./tmp.js";

export const SUPERVISOR_TOKEN = "supervisor-token";

/**
 * Home Assistant's Core API as the Supervisor proxies it, for what a test cannot run (Home Assistant):
 * `GET /core/api/states`, `POST /core/api/tts_get_url` (answering `{url, path}` as HA's
 * TextToSpeechUrlView does, or `{"message"}` with a 400 for an engine it does not have) and the audio
 * under `/core/api/tts_proxy/`. `fail(body)` makes an engine fail a message: a 500 with its text.
 */
export async function fakeHaCore(
  engines: string[],
  opts: {fail?: (body: Record<string, unknown>) => string | undefined} = {},
) {
  const audio = await readFile(await makeTone(path.join(await tempDir("yss-tts-"), "speech.mp3"), {seconds: 1}));
  const asked: Array<Record<string, unknown>> = [];
  const server = http.createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${SUPERVISOR_TOKEN}`) return res.writeHead(401).end("401: Unauthorized");
    const json = (status: number, body: unknown) =>
      res.writeHead(status, {"Content-Type": "application/json"}).end(JSON.stringify(body));
    if (req.method === "GET" && req.url === "/core/api/states")
      return json(200, [{entity_id: "light.kitchen"}, ...engines.map((entity_id) => ({entity_id}))]);
    if (req.method === "POST" && req.url === "/core/api/tts_get_url") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as Record<string, unknown>;
      asked.push(body);
      if (!engines.includes(body.engine_id as string))
        return json(400, {message: `Provider ${body.engine_id} not found`});
      const failure = opts.fail?.(body);
      if (failure) return json(500, {message: failure});
      return json(200, {url: "http://homeassistant.local:8123/api/tts_proxy/abc.mp3", path: "/api/tts_proxy/abc.mp3"});
    }
    if (req.method === "GET" && req.url === "/core/api/tts_proxy/abc.mp3")
      return res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(audio);
    return res.writeHead(404).end("404: Not Found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  atFileEnd(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked};
}
