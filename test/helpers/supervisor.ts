import http from "node:http";
import type {AddressInfo} from "node:net";

/**
 * A discovery the fake Supervisor keeps: the last body offered for it, its uuid, how many times it
 * was sent on to Core (a new one or a changed config; an unchanged one is not), and whether it was
 * taken back.
 */
export interface Discovery {
  uuid: string;
  body: Record<string, unknown>;
  sent: number;
  withdrawn: boolean;
}

/** What the fake answers `GET /network/info` with: interfaces, or a refusal (an add-on without `hassio_api`). */
export type NetworkInfo = {interfaces: object[]} | "refused";

/**
 * What the Supervisor answers besides the broker: Core's config (through its proxy), Core's port, the
 * host's addresses, and the add-on's own ports (an ingress port it picked, the Network tab's defaults).
 */
const HOME_ASSISTANT: Record<string, object> = {
  "/addons/self/info": {
    result: "ok",
    data: {slug: "local_yoto_smart_stream", ingress_port: 62042, network: {"8080/tcp": 8080, "1883/tcp": null}},
  },
  "/core/api/config": {internal_url: "http://homeassistant.local:8123", external_url: null},
  "/core/info": {result: "ok", data: {port: 8123, ssl: false}},
};

/**
 * A stand-in for the Supervisor's `GET /services/mqtt`, the calls that learn Home Assistant's own
 * URLs and the add-on's ports, and discovery (`POST /discovery`, kept in `discoveries` and answered
 * with a uuid as the Supervisor's APIDiscovery.set_discovery does; `DELETE /discovery/<uuid>`),
 * checking the bearer token like the real one. The token is the one add-on's, so its discoveries
 * are one per service, as the Supervisor's `Discovery.send` keeps them (a message is equal to
 * another of the same add-on and service, whatever its config): an offer of a service it has is
 * answered with the same uuid, its config replaced (and sent on to Core) if it changed.
 */
export async function fakeSupervisor(
  answer: {status: number; body: object},
  token = "sup-token",
  network: NetworkInfo = {interfaces: [{primary: true, ipv4: {address: ["192.168.1.5/24"]}}]},
): Promise<{url: string; calls: string[]; discoveries: Discovery[]; close(): Promise<void>}> {
  const calls: string[] = [];
  const discoveries: Discovery[] = [];
  const server = http.createServer(async (req, res) => {
    calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    const url = req.url ?? "";
    if (authorized && url === "/network/info") {
      const refused = network === "refused";
      res.writeHead(refused ? 403 : 200, {"Content-Type": "application/json"});
      res.end(JSON.stringify(refused ? {result: "error", message: "Forbidden"} : {result: "ok", data: network}));
      return;
    }
    if (authorized && Object.hasOwn(HOME_ASSISTANT, url)) {
      res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify(HOME_ASSISTANT[url]));
      return;
    }
    if (authorized && req.method === "POST" && url === "/discovery") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as Record<string, unknown>;
      let kept = discoveries.find((d) => !d.withdrawn && d.body.service === body.service);
      if (!kept) {
        kept = {uuid: `d${discoveries.length + 1}`, body, sent: 1, withdrawn: false};
        discoveries.push(kept);
      } else if (JSON.stringify(kept.body.config) !== JSON.stringify(body.config)) {
        kept.body = body;
        kept.sent++;
      }
      res.writeHead(200, {"Content-Type": "application/json"});
      res.end(JSON.stringify({result: "ok", data: {uuid: kept.uuid}}));
      return;
    }
    const offered = authorized && req.method === "DELETE" && discoveries.find((d) => url === `/discovery/${d.uuid}`);
    if (offered) {
      offered.withdrawn = true;
      res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify({result: "ok", data: {}}));
      return;
    }
    const ok = authorized && url === "/services/mqtt";
    res.writeHead(ok ? answer.status : 401, {"Content-Type": "application/json"});
    res.end(JSON.stringify(ok ? answer.body : {result: "error", message: "Unauthorized"}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    discoveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Supervisor's answer offering a broker on this machine, as the Mosquitto add-on registers it. */
export function mqttOffer(port: number, login: {username?: string; password?: string} = {}) {
  return {
    status: 200,
    body: {
      result: "ok",
      data: {addon: "core_mosquitto", host: "127.0.0.1", port: String(port), ssl: false, protocol: "3.1.1", ...login},
    },
  };
}
