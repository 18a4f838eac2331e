import http from "node:http";
import type {AddressInfo} from "node:net";

/** A `POST /discovery` the fake Supervisor took: its body, the uuid it answered, and whether it was taken back. */
export interface Discovery {
  uuid: string;
  body: Record<string, unknown>;
  withdrawn: boolean;
}

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
  "/network/info": {result: "ok", data: {interfaces: [{ipv4: {address: ["192.168.1.5/24"]}}]}},
};

/**
 * A stand-in for the Supervisor's `GET /services/mqtt`, the calls that learn Home Assistant's own
 * URLs and the add-on's ports, and discovery (`POST /discovery`, kept in `discoveries` and answered
 * with a uuid as the Supervisor's APIDiscovery.set_discovery does; `DELETE /discovery/<uuid>`),
 * checking the bearer token like the real one.
 */
export async function fakeSupervisor(
  answer: {status: number; body: object},
  token = "sup-token",
): Promise<{url: string; calls: string[]; discoveries: Discovery[]; close(): Promise<void>}> {
  const calls: string[] = [];
  const discoveries: Discovery[] = [];
  const server = http.createServer(async (req, res) => {
    calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    const url = req.url ?? "";
    if (authorized && Object.hasOwn(HOME_ASSISTANT, url)) {
      res.writeHead(200, {"Content-Type": "application/json"}).end(JSON.stringify(HOME_ASSISTANT[url]));
      return;
    }
    if (authorized && req.method === "POST" && url === "/discovery") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const uuid = `d${discoveries.length + 1}`;
      discoveries.push({uuid, body: JSON.parse(text) as Record<string, unknown>, withdrawn: false});
      res.writeHead(200, {"Content-Type": "application/json"});
      res.end(JSON.stringify({result: "ok", data: {uuid}}));
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
