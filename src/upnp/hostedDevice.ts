import type {Context} from "koa";
import type {SsdpDevice} from "./ssdpAnswers.js";

/**
 * Another root device on the renderers' listener and SSDP (the library's MediaServer): it answers
 * its own paths, is announced beside the renderers, and starts and stops with them. Access
 * (upnp_allow) is checked before it sees a request.
 */
export interface HostedDevice {
  /** Answer the request if its path is this device's; false leaves it to the renderers. */
  handle(ctx: Context, address: string): Promise<boolean>;
  ssdpDevice(): SsdpDevice;
  /** Control points subscribed to its events now. */
  subscribers(): number;
  /** Started with its UDN, made from the same stored seed as the renderers'. */
  start(udn: string): void;
  stop(): void;
}
