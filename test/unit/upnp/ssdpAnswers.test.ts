import {describe, expect, it} from "vitest";
import {answersFor, parseSearch, type SsdpDevice} from "../../../src/upnp/ssdpAnswers.js";
import {localAddressFor} from "../../../src/upnp/ssdpInterfaces.js";
import {formatSsdpMessage, parseSsdpMessage} from "../../../src/upnp/ssdpMessage.js";

const RENDERER: SsdpDevice = {
  udn: "uuid:11111111-2222-4333-8444-555555555555",
  deviceType: "urn:schemas-upnp-org:device:MediaRenderer:2",
  serviceTypes: ["urn:schemas-upnp-org:service:AVTransport:1"],
  descriptionPath: "/upnp/p/description.xml",
};

describe("SSDP messages", () => {
  it("formats and parses start line and headers, the first of a repeated header kept", () => {
    const text = formatSsdpMessage("NOTIFY * HTTP/1.1", [
      ["NT", "upnp:rootdevice"],
      ["EXT", ""],
    ]);
    expect(text).toBe("NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nEXT: \r\n\r\n");
    const parsed = parseSsdpMessage("HTTP/1.1 200 OK\nSt: a\nnonsense line\nST: b\n\nLOCATION: after the end");
    expect(parsed?.startLine).toBe("HTTP/1.1 200 OK");
    expect([...(parsed?.headers ?? [])]).toEqual([["st", "a"]]);
    expect(parseSsdpMessage(`M-SEARCH * HTTP/1.1\r\nX: ${"a".repeat(5000)}\r\n\r\n`)).toBeUndefined();
  });
});

describe("M-SEARCH", () => {
  const group = (extra: string) =>
    `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\n${extra}ST: ssdp:all\r\n\r\n`;

  it("reads MX of a multicast search (capped at 5) and answers a unicast one at once", () => {
    expect(parseSearch(group("MX: 3\r\n"))).toEqual({st: "ssdp:all", mx: 3, multicast: true});
    expect(parseSearch(group("MX: 120\r\n"))).toEqual({st: "ssdp:all", mx: 5, multicast: true});
    // Without MX (as unicast searches are) there is nothing to wait for.
    expect(parseSearch(group(""))).toEqual({st: "ssdp:all", mx: 0, multicast: false});
    const unicast =
      'M-SEARCH * HTTP/1.1\r\nHOST: 192.168.1.5:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: upnp:rootdevice\r\n\r\n';
    expect(parseSearch(unicast)).toEqual({st: "upnp:rootdevice", mx: 0, multicast: false});
  });

  it("ignores a multicast search with an MX of 0 or no number, as UDA 1.1 says", () => {
    expect(parseSearch(group("MX: 0\r\n"))).toBeUndefined();
    expect(parseSearch(group("MX: -1\r\n"))).toBeUndefined();
  });

  it("answers a type searched at an earlier version, with the version asked for", () => {
    expect(answersFor("urn:schemas-upnp-org:device:MediaRenderer:1", [RENDERER])).toEqual([
      {
        st: "urn:schemas-upnp-org:device:MediaRenderer:1",
        usn: `${RENDERER.udn}::urn:schemas-upnp-org:device:MediaRenderer:1`,
        device: RENDERER,
      },
    ]);
    expect(answersFor("urn:schemas-upnp-org:service:AVTransport:2", [RENDERER])).toEqual([]);
    expect(answersFor("urn:schemas-upnp-org:device:MediaRenderer", [RENDERER])).toEqual([]);
    expect(answersFor("uuid:someone-else", [RENDERER])).toEqual([]);
  });
});

describe("LOCATION's address", () => {
  const interfaces = [
    {address: "127.0.0.1", netmask: "255.0.0.0"},
    {address: "172.30.32.1", netmask: "255.255.254.0"},
    {address: "192.168.1.5", netmask: "255.255.255.0"},
  ];

  it("is the interface on the searcher's subnet, loopback for this machine, else the first off loopback", () => {
    expect(localAddressFor("192.168.1.77", interfaces)).toBe("192.168.1.5");
    expect(localAddressFor("172.30.33.4", interfaces)).toBe("172.30.32.1");
    expect(localAddressFor("127.0.0.9", interfaces)).toBe("127.0.0.1");
    expect(localAddressFor("10.8.0.3", interfaces)).toBe("172.30.32.1");
    expect(localAddressFor("10.8.0.3", [{address: "127.0.0.1", netmask: "255.0.0.0"}])).toBeUndefined();
  });
});
