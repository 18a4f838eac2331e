import type net from "node:net";
import {Duplex, pipeline, Transform, type TransformCallback} from "node:stream";
import {formatBytes} from "../core/bytes.js";
import {joinCorkedWrites} from "../core/joinedWrites.js";

/** Why the guard cut a connection, in words for the log: "it sent …". */
export class PacketRefusedError extends Error {}

/**
 * Watches the bytes of an MQTT connection, packet by packet, and fails as soon as a fixed header
 * announces more than `limit` bytes. Aedes 1.x has no packet size limit: its parser would buffer a
 * 256 MB PUBLISH whole before looking at it. Here the connection is cut after the header's few bytes,
 * before the payload arrives. Bytes pass through unchanged; nothing is buffered.
 */
class PacketSizeGuard extends Transform {
  readonly #limit: number;
  #stage: "type" | "length" | "body" = "type";
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #bodyLeft = 0;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const refusal = this.#scan(chunk);
    if (refusal) done(new PacketRefusedError(refusal));
    else done(null, chunk);
  }

  /** Follows the packets through `chunk`; says why the connection must go, or undefined. */
  #scan(chunk: Buffer): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.#stage === "body") {
        const take = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= take;
        i += take;
        if (this.#bodyLeft === 0) this.#stage = "type";
      } else if (this.#stage === "type") {
        // One byte of packet type and flags, then the remaining length.
        i++;
        this.#stage = "length";
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
      } else {
        // The remaining length: 7 bits per byte, low bits first, at most 4 bytes (MQTT 2.2.3).
        const byte = chunk[i++] as number;
        this.#length += (byte & 0x7f) * this.#multiplier;
        this.#multiplier *= 128;
        this.#lengthBytes++;
        if (this.#length > this.#limit)
          return `it sent a packet of ${formatBytes(this.#length)}, over the broker's limit of ${formatBytes(this.#limit)}`;
        if (byte & 0x80) {
          if (this.#lengthBytes === 4) return "it sent a malformed packet length";
          continue;
        }
        this.#bodyLeft = this.#length;
        this.#stage = this.#bodyLeft === 0 ? "type" : "body";
      }
    }
    return undefined;
  }
}

/**
 * The socket as Aedes should see it: reads pass the size guard, writes go straight to the socket.
 * When the guard fails, the socket is destroyed and the error reaches Aedes (which drops the client)
 * and `onRefused` (which logs why).
 */
export function sizeLimitedConnection(
  socket: net.Socket,
  limit: number,
  onRefused: (error: PacketRefusedError, connection: Duplex) => void,
): Duplex {
  const guard = new PacketSizeGuard(limit);
  const connection = Duplex.from({readable: guard, writable: socket});
  // One write (one TCP segment) per packet Aedes sends, not one per piece of it.
  joinCorkedWrites(connection);
  pipeline(socket, guard, (err) => {
    if (!err) return;
    socket.destroy();
    if (err instanceof PacketRefusedError) onRefused(err, connection);
    connection.destroy(err);
  });
  return connection;
}
