import type {Writable} from "node:stream";

type Chunks = Array<{chunk: Buffer | string}>;
type Callback = (err?: Error | null) => void;
type Joinable = Writable & {_writev?: ((chunks: Chunks, callback: Callback) => void) | null};

/**
 * Lets a stream that writes each chunk on its own take a corked batch as one write. MQTT libraries
 * (mqtt.js, and Aedes through mqtt-packet) write a packet in pieces (header, length, packet id,
 * topic, payload) inside one cork, but a stream without `_writev` passes each piece on by itself:
 * - a WebSocket stream made each piece a frame: three masked frames (three TLS records, three system
 *   calls) for every acknowledgement of a cloud event;
 * - a duplex over a socket (`Duplex.from`, the broker's size guard) made each a TCP segment: five
 *   for every state message to Home Assistant.
 * MQTT is a byte stream, over TCP and over WebSocket alike, so the other side reads the same bytes.
 * A stream that already has `_writev` (a TCP socket) is left as it is. Call it before the first
 * write is uncorked: mqtt.js and Aedes uncork a tick after they write.
 */
export function joinCorkedWrites(stream: Writable): void {
  const joinable = stream as Joinable;
  if (joinable._writev) return;
  joinable._writev = (chunks, callback) => {
    const pieces = chunks.map(({chunk}) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    joinable._write(Buffer.concat(pieces), "binary", callback);
  };
}
