import type {IncomingMessage, Server} from "node:http";
import type {Duplex} from "node:stream";
import {Aedes, type AuthenticateError, type Client} from "aedes";
import {createWebSocketStream, WebSocketServer} from "ws";
import {OwnMessages} from "../broker/ownMessages.js";
import type {SimOAuth} from "./oauth.js";
import type {VirtualPlayer} from "./player.js";

const USERNAME = /^[^?]*\?x-amz-customauthorizer-name=PublicJWTAuthorizer$/;
const DEVICE_TOPIC = /^device\/([A-Za-z0-9_-]+)\/(.+)$/;

/**
 * Yoto's AWS IoT broker as clients meet it: MQTT over WebSocket at /mqtt, the custom-authorizer
 * username, the access token as password, sockets dropped when that token expires, and exact
 * per-device subscriptions only — a wildcard or `$aws` topic closes the connection.
 */
export class SimBroker {
  readonly #oauth: SimOAuth;
  readonly #players: Map<string, VirtualPlayer>;
  readonly #expiryTimers = new Map<Client, NodeJS.Timeout>();
  readonly #tokens = new Map<Client, string>();
  #aedes?: Aedes;
  #own?: OwnMessages;
  #wss?: WebSocketServer;
  /** What tests read: who connected with which client id, and why sockets were closed. */
  readonly connections: Array<{clientId: string; at: string}> = [];
  readonly refusals: string[] = [];
  /** Epoch ms of every connection attempt, to prove a client backs off. */
  readonly attempts: number[] = [];
  /** Fault injection: refuse this many connection attempts as "server unavailable". */
  refuseNext = 0;

  constructor(oauth: SimOAuth, players: Map<string, VirtualPlayer>) {
    this.#oauth = oauth;
    this.#players = players;
  }

  async start(server: Server): Promise<void> {
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => this.#authenticate(client, username, password, done),
      authorizeSubscribe: (client, sub, done) => {
        const reason = this.#subscribeRefusal(sub.topic);
        if (reason) this.refusals.push(`${client.id}: ${reason}`);
        done(reason ? new Error(reason) : null, reason ? null : sub);
      },
      authorizePublish: (client, packet, done) => {
        const match = DEVICE_TOPIC.exec(packet.topic);
        const allowed =
          client === null || (match && this.#players.has(match[1] as string) && match[2]?.startsWith("command/"));
        done(allowed ? null : new Error(`publishing to '${packet.topic}' is not allowed`));
      },
    });
    aedes.on("publish", (packet, client) => {
      if (!client) return;
      const match = DEVICE_TOPIC.exec(packet.topic);
      const player = match ? this.#players.get(match[1] as string) : undefined;
      if (player && match?.[2]?.startsWith("command/"))
        player.handleCommand(match[2].slice("command/".length), packet.payload as Buffer);
    });
    aedes.on("clientDisconnect", (client) => this.#forget(client));
    this.#aedes = aedes;
    this.#own = new OwnMessages(aedes);
    const wss = new WebSocketServer({noServer: true});
    this.#wss = wss;
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(req.url ?? "/", "http://x").pathname !== "/mqtt") {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => aedes.handle(createWebSocketStream(ws), req));
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.#expiryTimers.values()) clearTimeout(timer);
    this.#expiryTimers.clear();
    for (const ws of this.#wss?.clients ?? []) ws.terminate();
    this.#wss?.close();
    this.#own?.close();
    await new Promise<void>((resolve) => (this.#aedes ? this.#aedes.close(() => resolve()) : resolve()));
  }

  /** A Buffer goes out byte for byte (tests send what real players sent: bytes that are not UTF-8). */
  publish(topic: string, payload: object | string | Buffer, retain = false): void {
    const bytes = Buffer.isBuffer(payload)
      ? payload
      : Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload));
    // In order, as Yoto's broker delivers them: straight into Aedes, a retained presence followed at
    // once by a status overtook it and was dropped for every subscriber (see OwnMessages).
    this.#own?.publish(topic, bytes, retain, () => {});
  }

  /** Fault injection: every client connection drops at once, as during a cloud blip. */
  dropConnections(): void {
    for (const ws of this.#wss?.clients ?? []) ws.terminate();
  }

  /** After tokens were expired early: drop every socket whose token no longer passes. */
  enforceExpiry(): void {
    for (const [client, token] of this.#tokens) if (!this.#oauth.check(token)) client.close();
  }

  get clientCount(): number {
    return this.#aedes?.connectedClients ?? 0;
  }

  #authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const refuse = (reason: string, returnCode: number) => {
      this.refusals.push(`${client.id}: ${reason}`);
      done(Object.assign(new Error(reason), {returnCode}) as AuthenticateError, false);
    };
    this.attempts.push(Date.now());
    if (this.refuseNext > 0) {
      this.refuseNext--;
      refuse("server unavailable (injected fault)", 3);
      return;
    }
    if (!username || !USERNAME.test(username)) {
      refuse("username must end with ?x-amz-customauthorizer-name=PublicJWTAuthorizer", 4);
      return;
    }
    const token = password?.toString("utf8");
    const claims = this.#oauth.check(token);
    if (!claims || !token) {
      refuse("the password is not a valid, unexpired access token", 5);
      return;
    }
    this.#tokens.set(client, token);
    this.connections.push({clientId: client.id, at: new Date().toISOString()});
    // AWS IoT closes the socket when the token it was opened with expires.
    this.#expiryTimers.set(
      client,
      setTimeout(() => client.close(), Math.max(0, claims.exp * 1000 - Date.now())),
    );
    done(null, true);
  }

  #subscribeRefusal(topic: string): string | undefined {
    if (topic.includes("+") || topic.includes("#")) return `wildcard subscription '${topic}' is not allowed`;
    if (topic.startsWith("$aws")) return `'${topic}' is not allowed`;
    const match = DEVICE_TOPIC.exec(topic);
    if (!match || !this.#players.has(match[1] as string))
      return `'${topic}' is not a topic of a device on this account`;
    return undefined;
  }

  #forget(client: Client): void {
    clearTimeout(this.#expiryTimers.get(client));
    this.#expiryTimers.delete(client);
    this.#tokens.delete(client);
  }
}
