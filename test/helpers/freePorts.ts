/**
 * Every listener of the service on a free port (0): the audio and admin listeners, the embedded
 * broker, the DLNA renderers and their SSDP. A test app, a child process and the demo share these.
 */
export const FREE_PORT_FLAGS: readonly string[] = ["audio", "ingress", "embedded_broker", "upnp", "ssdp"].flatMap(
  (name) => [`--${name}_port`, "0"],
);
