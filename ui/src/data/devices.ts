import type {DeviceLinkMade, DeviceLinksList} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {DeviceLinkMade, DeviceLinksList, DeviceLinkView} from "../../../src/shared/api/index.js";

/** Every child's links, whether a parent PIN is set, and the panel's own port (for a tablet's address). */
export const getDevices = () => get<DeviceLinksList & {panel_port: number}>("api/devices");

/** One child's links, newest first. */
export const getChildDevices = (child: string) => get<DeviceLinksList>(`api/children/${segment(child)}/devices`);

/** A new link for a child's tablet: its credential, address and QR code are in this answer only. */
export const makeDeviceLink = (child: string, name: string, base: string) =>
  request<DeviceLinkMade>("POST", `api/children/${segment(child)}/devices`, {name, base});

/** Revoked at once: the tablet's next request with it is refused. */
export const revokeDeviceLink = (id: string) => request<unknown>("DELETE", `api/devices/${segment(id)}`);

/** 4 to 8 digits. */
export const setParentPin = (pin: string) => request<{pin_set: boolean}>("PUT", "api/devices/pin", {pin});
/** No parent PIN from now on (its own request: a PUT never removes it). */
export const removeParentPin = () => request<{pin_set: boolean}>("DELETE", "api/devices/pin");

/**
 * Where the tablet reaches the panel. Inside Home Assistant the page comes through ingress, which a
 * tablet without a Home Assistant login cannot use: the panel's own port on the same host instead.
 * Outside it, the page's own address, up to its folder.
 */
export function tabletBase(panelPort: number, where: Location = location): string {
  if (where.pathname.includes("/api/hassio_ingress/")) return `${where.protocol}//${where.hostname}:${panelPort}/`;
  return new URL("./", where.href).href;
}
