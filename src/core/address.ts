import {isIP} from "node:net";
import {networkInterfaces} from "node:os";

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one rule covers IPv4 peers on dual-stack sockets. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function isLoopback(address: string): boolean {
  const a = normalizeAddress(address);
  return a === "::1" || (isIP(a) === 4 && a.startsWith("127."));
}

/**
 * Why a listener could not bind, for the log: a taken fixed port names the option that moves it
 * (`fix`); port 0 asks the system for any free port, so there it is the machine that has none left,
 * and another port option would send a parent the wrong way.
 */
export function portTakenMessage(port: number, what: string, fix: string): string {
  if (port === 0)
    return `no free port was left for ${what}: it asks the system for any free one, and this machine has none (too many open connections?): close what holds them, or give ${what} a fixed port`;
  return `port ${port} is already in use: ${fix}`;
}

/**
 * Home Assistant's own network between its containers (the Supervisor's `hassio` bridge,
 * 172.30.32.0/23): an add-on on the host's network sees it as an interface of the host, yet no
 * laptop or phone on the home network can reach an address in it.
 */
export function isHassioInternal(address: string): boolean {
  const a = normalizeAddress(address);
  return isIP(a) === 4 && (a.startsWith("172.30.32.") || a.startsWith("172.30.33."));
}

/** This machine's first IPv4 address on the home network, as other devices there reach it. */
export function homeNetworkAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const address of list ?? [])
      if (address.family === "IPv4" && !address.internal && !isHassioInternal(address.address)) return address.address;
  return undefined;
}
