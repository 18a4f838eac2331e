import {describe, expect, it} from "vitest";
import {parseRef, refOf} from "../../../src/mediaServers/refs.js";
import {AnswerAdmission, parseSsdpAnswer} from "../../../src/upnp/ssdpSearch.js";

const answer = (location: string) =>
  `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=900\r\nLOCATION: ${location}\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\nUSN: uuid:abc::urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n`;

describe("SSDP answers", () => {
  it("takes a media server's answer from the address it points at", () => {
    expect(parseSsdpAnswer(answer("http://192.168.1.20:8200/rootDesc.xml"), "192.168.1.20")).toEqual({
      location: "http://192.168.1.20:8200/rootDesc.xml",
      usn: "uuid:abc::urn:schemas-upnp-org:device:MediaServer:1",
      maxAgeSeconds: 900,
      from: "192.168.1.20",
    });
  });

  it("ignores an answer pointing somewhere other than its sender (this machine's admin API, a router)", () => {
    expect(parseSsdpAnswer(answer("http://127.0.0.1:8099/api/diagnostics"), "192.168.1.66")).toBeUndefined();
    expect(parseSsdpAnswer(answer("http://router.local/"), "192.168.1.1")).toBeUndefined();
  });

  it("ignores what is not an answer, and a flood of header text", () => {
    expect(parseSsdpAnswer("NOTIFY * HTTP/1.1\r\n\r\n", "192.168.1.20")).toBeUndefined();
    expect(parseSsdpAnswer(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(5000)}\r\n\r\n`, "192.168.1.20")).toBeUndefined();
    expect(parseSsdpAnswer(answer("file:///etc/passwd"), "192.168.1.20")).toBeUndefined();
  });
});

describe("media server refs", () => {
  it("round-trips object ids with any characters", () => {
    for (const id of ["64$0$1", "a/b c?d&e", "0"])
      expect(parseRef(refOf("abcDEF_-12", id))).toEqual({serverId: "abcDEF_-12", objectId: id});
  });

  it("refuses what is not a ref, saying what to use", () => {
    expect(() => parseRef("dlna:x")).toThrow(
      `'dlna:x' is not a media server reference: use the "ref" that GET /api/sources/<id>/browse gives`,
    );
    expect(() => parseRef("dlna:abc:%E0%A4%A")).toThrow("is not a media server reference");
  });
});

describe("the answers a search keeps", () => {
  const answer = (from: string, n: number, udn: string) => ({
    location: `http://${from}:8200/${n}.xml`,
    usn: `${udn}::urn:schemas-upnp-org:device:MediaServer:1`,
    maxAgeSeconds: 1800,
    from,
  });

  it("counts one device answering from 16 addresses as one, so a NAS answering later is still kept", () => {
    const admission = new AnswerAdmission();
    let kept = 0;
    for (let a = 0; a < 16; a++)
      for (let n = 0; n < 4; n++)
        if (admission.admit(answer(`127.0.0.${40 + a}`, n, "uuid:one-machine"), kept) === "kept") kept++;
    expect(kept).toBe(4);
    expect(admission.admit(answer("127.0.0.99", 0, "uuid:one-machine"), kept)).toBe("same device");
    expect(admission.admit(answer("127.0.0.4", 0, "uuid:the-nas"), kept)).toBe("kept");
  });

  it("still keeps a few from each address, whatever UDNs it names", () => {
    const admission = new AnswerAdmission();
    const from = Array.from({length: 10}, (_, n) => admission.admit(answer("127.0.0.9", n, `uuid:fake-${n}`), n));
    expect(from.filter((a) => a === "kept")).toHaveLength(4);
    expect(from.at(-1)).toBe("left out");
  });
});
