import http from "node:http";
import type {AddressInfo} from "node:net";

export interface IngressProxy {
  /** The panel's address through the proxy, ending in `/`. */
  url: string;
  prefix: string;
  close(): Promise<void>;
}

/**
 * What Home Assistant's ingress does to the panel's requests: the browser sees
 * `/api/hassio_ingress/<token>/…`, the add-on gets `/…` with `X-Ingress-Path`. Anything outside the
 * prefix is a 404, so a panel URL that escapes the prefix fails the test. Responses are piped
 * unbuffered (server-sent events must flow).
 */
export async function startIngressProxy(target: string, token = "Xk3q9ZtR_ingress"): Promise<IngressProxy> {
  const prefix = `/api/hassio_ingress/${token}`;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url !== prefix && !url.startsWith(`${prefix}/`)) {
      res.writeHead(404, {"Content-Type": "text/plain"}).end(`Outside the ingress prefix: ${url}`);
      return;
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice(prefix.length) || "/",
        headers: {...req.headers, host: upstream.host, "x-ingress-path": prefix},
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    prefix,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
