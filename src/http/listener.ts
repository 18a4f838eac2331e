import {readFile} from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type {AddressInfo} from "node:net";
import type Koa from "koa";
import {portTakenMessage} from "../core/address.js";
import {type ConnectionCaps, guardConnections} from "../core/connectionGuard.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";

export interface ListenerOptions {
  host: string;
  port: number;
  tls?: {certfile: string; keyfile: string};
  /**
   * A connection with no traffic for this long is closed, so a client that stops reading cannot
   * hold a file and buffers forever. Long transfers are fine: any progress resets it.
   */
  idleTimeoutMs?: number;
  /** Limit on receiving a whole request; 0 lets big uploads over slow links finish. */
  requestTimeoutMs?: number;
  /** Connections held open at once, in all and per client address (see connectionGuard). */
  connections?: ConnectionCaps;
  /** What to do when the port is taken, naming the option that moves it (default: "choose another port"). */
  portInUse?: string;
  /** A listener the service can run without (the DLNA renderers'): a taken port fails it alone. */
  optional?: boolean;
  /** Answers some requests before the app (calling `app()` for those it does not take). */
  fastPath?: (req: http.IncomingMessage, res: http.ServerResponse, app: () => void) => void;
}

const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** One Koa app on one port, as a Service: listening in start(), closed with its sockets in stop(). */
export class HttpListener implements Service {
  readonly name: string;
  readonly critical: boolean;
  readonly #app: Koa;
  readonly #opts: ListenerOptions;
  readonly #log: Logger;
  #server?: http.Server;

  constructor(name: string, app: Koa, opts: ListenerOptions, log: Logger) {
    this.name = name;
    this.#app = app;
    this.#opts = opts;
    this.critical = opts.optional !== true;
    this.#log = log;
  }

  async start(): Promise<void> {
    const app = this.#app.callback();
    const fast = this.#opts.fastPath;
    const handler: http.RequestListener = fast ? (req, res) => fast(req, res, () => app(req, res)) : app;
    const server = this.#opts.tls
      ? https.createServer(await readTls(this.#opts.tls), handler)
      : http.createServer(handler);
    // Players keep connections open between range requests.
    server.keepAliveTimeout = 65_000;
    server.timeout = this.#opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (this.#opts.requestTimeoutMs !== undefined) server.requestTimeout = this.#opts.requestTimeoutMs;
    // Near its total, a connection that has carried nothing for 10 s is closed (players reconnect
    // at once; an idle flood does not): it used to wait for the 65 s keep-alive or a request timeout.
    if (this.#opts.connections)
      guardConnections(server, {closeIdleWhenBusyMs: 10_000, ...this.#opts.connections}, this.#log);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        reject(
          err.code === "EADDRINUSE"
            ? new Error(
                portTakenMessage(
                  this.#opts.port,
                  this.name,
                  `stop what uses it or ${this.#opts.portInUse ?? "choose another port"}`,
                ),
              )
            : err,
        );
      });
      server.listen(this.#opts.port, this.#opts.host, () => resolve());
    });
    server.on("error", (err) => this.#log.error(`Listener error (${err.message})`));
    this.#server = server;
    this.#log.info(this.#listening());
  }

  /**
   * What is bound, truthfully: the wildcard host takes every address of the machine, which the
   * loopback URL alone would hide (it is only how this machine itself reaches the port).
   */
  #listening(): string {
    const host = this.#opts.host;
    if (host !== "0.0.0.0" && host !== "::") return `Listening on ${this.url}`;
    return `Listening on port ${this.port} (all addresses; ${this.url} from this machine)`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Open audio streams would hold close() forever; end them.
    server.closeAllConnections();
    await closed;
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? this.#opts.port;
  }

  /** The app it serves (its middleware, its router: what the tests read the routes from). */
  get app(): Koa {
    return this.#app;
  }

  /** Whether it is listening now (an optional listener may have failed to start). */
  get listening(): boolean {
    return this.#server?.listening === true;
  }

  get url(): string {
    const host = this.#opts.host === "0.0.0.0" || this.#opts.host === "::" ? "127.0.0.1" : this.#opts.host;
    return `${this.#opts.tls ? "https" : "http"}://${host}:${this.port}`;
  }

  health() {
    return {details: {url: this.url}};
  }
}

/** Both files are read, and every unreadable one is named, so one fix-and-restart is enough. */
async function readTls(tls: {certfile: string; keyfile: string}): Promise<{cert: Buffer; key: Buffer}> {
  const files = [
    ["certfile", tls.certfile],
    ["keyfile", tls.keyfile],
  ] as const;
  const results = await Promise.allSettled(files.map(([, file]) => readFile(file)));
  const problems = results.flatMap((result, i) => {
    if (result.status === "fulfilled") return [];
    const err = result.reason as NodeJS.ErrnoException;
    const [what, file] = files[i] as (typeof files)[number];
    return [`the ${what} '${file}' cannot be read (${err.code ?? err.message})`];
  });
  if (problems.length > 0)
    throw new Error(`ssl is on but ${problems.join(" and ")}: put them in place or turn ssl off`);
  const [cert, key] = results.map((r) => (r as PromiseFulfilledResult<Buffer>).value) as [Buffer, Buffer];
  return {cert, key};
}
