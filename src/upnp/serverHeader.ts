import os from "node:os";

/** The product token every UPnP answer of this service names, with its version. */
export function upnpProduct(version: string): string {
  return `YotoSmartStream/${version}`;
}

/**
 * The SERVER header (UDA 1.1: "OS/version UPnP/1.1 product/version"), one string for SSDP's
 * datagrams and the HTTP answers of the descriptions, control and events alike: a control point
 * that matches a device by it (some log or key on it) sees one device, not two.
 */
export function upnpServerHeader(product: string): string {
  const system = process.platform === "linux" ? "Linux" : process.platform;
  // The kernel's release as a token (no spaces, nothing a header may not carry).
  const release = os.release().replace(/[^A-Za-z0-9._+-]/g, "") || "1.0";
  return `${system}/${release} UPnP/1.1 ${product}`;
}
