import net from "node:net";
import {Aedes, type AuthenticateError} from "aedes";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  log: Logger;
}

/**
 * The local broker when nobody else provides one: Aedes over TCP, MQTT 3.1.1, with an optional
 * username and password. Retained messages live in memory; the bridge republishes everything it
 * owns whenever it connects, so a restart loses nothing Home Assistant needs.
 */
export class EmbeddedBroker implements Service {
  readonly name = "mqtt-broker";
  readonly #opts: EmbeddedBrokerOptions;
  #aedes?: Aedes;
  #server?: net.Server;

  constructor(opts: EmbeddedBrokerOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    const {username, password} = this.#opts;
    const aedes = await Aedes.createBroker({
      authenticate: (_client, user, pass, done) => {
        if (!username || (user === username && pass?.toString("utf8") === password)) return done(null, true);
        const error = Object.assign(new Error("Bad username or password"), {returnCode: 4}) as AuthenticateError;
        done(error, false);
      },
    });
    this.#aedes = aedes;
    const server = net.createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#opts.port, this.#opts.host, () => resolve());
    });
    this.#server = server;
    this.#opts.log.info(`Embedded MQTT broker listening on ${this.url}${username ? " (login required)" : ""}`);
  }

  async stop(): Promise<void> {
    // Aedes first: it closes client sockets, which the server's close() would otherwise wait for.
    const aedes = this.#aedes;
    this.#aedes = undefined;
    await new Promise<void>((resolve) => (aedes ? aedes.close(() => resolve()) : resolve()));
    const server = this.#server;
    this.#server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** The address local clients use; with port 0, the port the system picked. */
  get url(): string {
    const address = this.#server?.address() as net.AddressInfo | null;
    const host = this.#opts.host === "0.0.0.0" ? "127.0.0.1" : this.#opts.host;
    return `mqtt://${host}:${address?.port ?? this.#opts.port}`;
  }

  health() {
    return {details: {url: this.url, clients: this.#aedes?.connectedClients ?? 0}};
  }
}
