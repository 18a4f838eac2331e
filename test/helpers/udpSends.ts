import dgram from "node:dgram";
import {isIP} from "node:net";

export interface UdpSend {
  address: string;
  port: number;
}

/** 224.0.0.0/4 (and IPv6 ff00::/8): a datagram there leaves the machine for the whole network. */
export function isMulticast(address: string): boolean {
  if (isIP(address) === 6) return address.toLowerCase().startsWith("ff");
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}

/**
 * Note every datagram this process sends from now on (`onSend` with where it goes), by wrapping
 * node's own `Socket.send`. What goes to a multicast group is noted and not sent (its callback
 * answers as if it were): a test that catches such a send must not itself reach the network.
 * Everything else is sent as it would be. `restore()` puts `send` back.
 */
export function recordUdpSends(onSend: (send: UdpSend) => void): {restore(): void} {
  const proto = dgram.Socket.prototype;
  const original = proto.send;
  const wrapped = function (this: dgram.Socket, ...args: unknown[]) {
    // send(msg, [offset, length,] port[, address][, callback])
    const ranged = typeof args[1] === "number" && typeof args[2] === "number" && typeof args[3] === "number";
    const port = (ranged ? args[3] : args[1]) as number;
    const maybeAddress = ranged ? args[4] : args[2];
    const address = typeof maybeAddress === "string" ? maybeAddress : "127.0.0.1";
    onSend({address, port});
    if (isMulticast(address)) {
      const callback = args.findLast((a) => typeof a === "function") as
        | ((err: null, bytes: number) => void)
        | undefined;
      if (callback) queueMicrotask(() => callback(null, 0));
      return;
    }
    return (original as (...a: unknown[]) => void).apply(this, args);
  };
  proto.send = wrapped as typeof proto.send;
  return {
    restore: () => {
      if (proto.send === wrapped) proto.send = original;
    },
  };
}
