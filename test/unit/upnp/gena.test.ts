import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {Subscriptions} from "../../../src/upnp/gena.js";
import {GenaRefusal} from "../../../src/upnp/genaSubscribers.js";

const subscribe = (subs: Subscriptions, address: string, service = "AVTransport") => {
  const host = address.includes(":") ? `[${address}]` : address;
  return subs.subscribe({service, address, callback: `<http://${host}:9/event>`, nt: "upnp:event"});
};

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    if (err instanceof GenaRefusal) return {status: err.status, message: err.message};
    throw err;
  }
  return undefined;
};

describe("GENA subscription places", () => {
  it("counts a host's IPv6 addresses in one /64 as one address, so it cannot take every place", () => {
    const subs = new Subscriptions(new Logger({level: "error", sink: () => undefined}));
    const first = subscribe(subs, "fe80::1").sub;
    for (let i = 2; i <= 12; i++) subscribe(subs, `fe80::${i.toString(16)}`);
    // The thirteenth from that /64 takes the place of its oldest, not one more.
    expect(refusal(() => subscribe(subs, "fe80::99"))).toBeUndefined();
    expect(subs.size).toBe(12);
    expect(subs.of("AVTransport").some((s) => s.sid === first.sid)).toBe(false);
    expect(refusal(() => subscribe(subs, "fd00:1:2:3::abcd"))).toBeUndefined();
    expect(subs.size).toBe(13);
  });

  it("lets Home Assistant in when the places are full, in place of the biggest holder's oldest", () => {
    const lines: string[] = [];
    const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
    const first = subscribe(subs, "192.168.1.10").sub;
    for (let i = 1; i < 11; i++) subscribe(subs, "192.168.1.10");
    for (const n of [11, 12]) for (let i = 0; i < 10; i++) subscribe(subs, `192.168.1.${n}`);
    subscribe(subs, "192.168.1.13");
    expect(subs.size).toBe(32);
    // Home Assistant subscribes to both services it evented; each takes a place.
    expect(refusal(() => subscribe(subs, "192.168.1.2", "AVTransport"))).toBeUndefined();
    expect(refusal(() => subscribe(subs, "192.168.1.2", "RenderingControl"))).toBeUndefined();
    expect(subs.size).toBe(32);
    expect(subs.of("AVTransport").some((s) => s.sid === first.sid)).toBe(false);
    expect(
      lines.some((l) =>
        l.includes(
          "The renderer was full: 192.168.1.2 took the place of 192.168.1.10's oldest subscription (to AVTransport), as 192.168.1.10 held the most (11) (logged once for 192.168.1.2)",
        ),
      ),
    ).toBe(true);
    // A holder as big as every other is refused instead: it would only take another's place.
    const even = new Subscriptions(new Logger({level: "error", sink: () => undefined}));
    for (let n = 0; n < 16; n++) for (let i = 0; i < 2; i++) subscribe(even, `10.0.0.${n}`);
    expect(refusal(() => subscribe(even, "10.0.0.0"))).toEqual({
      status: 503,
      message: "This renderer already has 32 subscriptions, and no host holds more of them than 10.0.0.0",
    });
  });

  it("takes twelve from one host, then replaces that host's oldest (whichever service), logged once", async () => {
    const lines: string[] = [];
    const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
    // A crashed control point's set (both services), then the next one on the same host.
    const stale = [subscribe(subs, "192.168.1.5", "RenderingControl").sub];
    for (let i = 1; i < 12; i++)
      stale.push(subscribe(subs, "192.168.1.5", i % 2 ? "AVTransport" : "RenderingControl").sub);
    expect(subs.size).toBe(12);
    const fresh = [
      subscribe(subs, "192.168.1.5", "AVTransport").sub,
      subscribe(subs, "192.168.1.5", "AVTransport").sub,
    ];
    expect(subs.size).toBe(12);
    const held = new Set([...subs.of("AVTransport"), ...subs.of("RenderingControl")].map((s) => s.sid));
    // The two oldest went (the first was a RenderingControl one); the new ones are in.
    expect(stale.slice(0, 2).map((s) => held.has(s.sid))).toEqual([false, false]);
    expect(stale.slice(2).every((s) => held.has(s.sid))).toBe(true);
    expect(fresh.every((s) => held.has(s.sid))).toBe(true);
    const replaced = lines.filter((l) => l.includes("the most one host may"));
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toContain(
      "192.168.1.5 held 12 event subscriptions to this renderer, the most one host may: its oldest (to RenderingControl) gave way to its new one (a control point that stopped without unsubscribing leaves its own behind; logged once for this address)",
    );
    // The one that lost its place hears of it at its renewal.
    expect(
      refusal(() => subs.subscribe({service: "RenderingControl", address: "192.168.1.5", sid: stale[0]?.sid})),
    ).toEqual({
      status: 412,
      message: `No subscription ${stale[0]?.sid}`,
    });
  });

  it("logs each refusal once per host and reason, with why", () => {
    const lines: string[] = [];
    const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
    for (let n = 0; n < 16; n++) for (let i = 0; i < 2; i++) subscribe(subs, `10.0.0.${n}`);
    for (let i = 0; i < 5; i++) expect(refusal(() => subscribe(subs, "10.0.0.3"))?.status).toBe(503);
    expect(refusal(() => subscribe(subs, "10.0.0.4"))?.status).toBe(503);
    const full = lines.filter((l) => l.includes("(HTTP 503)"));
    expect(full).toHaveLength(2);
    expect(full[0]).toContain("WARNING");
    expect(full[0]).toContain(
      "Refused an event subscription from 10.0.0.3 (HTTP 503): This renderer already has 32 subscriptions, and no host holds more of them than 10.0.0.3 (logged once for this address and reason)",
    );
    expect(full[1]).toContain("Refused an event subscription from 10.0.0.4 (HTTP 503)");
    // Another reason from the same host is logged too, once.
    const badCallback = () =>
      subs.subscribe({service: "AVTransport", address: "10.0.0.3", callback: "<http://10.9.9.9:9/>", nt: "upnp:event"});
    for (let i = 0; i < 3; i++) expect(refusal(badCallback)?.status).toBe(412);
    expect(lines.filter((l) => l.includes("10.0.0.3 (HTTP 412)"))).toEqual([
      expect.stringContaining(
        "Refused an event subscription from 10.0.0.3 (HTTP 412): CALLBACK must be on the subscriber's own address (10.0.0.3), not 10.9.9.9: events are never sent to another host (logged once for this address and reason)",
      ),
    ]);
  });

  it("lets only the subscriber renew or cancel: a global IPv6 host within its /64, a link-local neighbour never", () => {
    const subs = new Subscriptions(new Logger({level: "error", sink: () => undefined}));
    const renew = (sid: string, address: string) =>
      refusal(() => subs.subscribe({service: "AVTransport", address, sid}));
    const local = subscribe(subs, "fe80::1111:2222:3333:4444").sub;
    // Every link-local address is in fe80::/64: a neighbour there is someone else.
    expect(renew(local.sid, "fe80::dead:beef:1:2")).toEqual({status: 412, message: `No subscription ${local.sid}`});
    expect(refusal(() => subs.unsubscribe(local.sid, "AVTransport", "fe80::dead:beef:1:2"))).toEqual({
      status: 412,
      message: "No such subscription (SID)",
    });
    expect(renew(local.sid, "fe80::1111:2222:3333:4444")).toBeUndefined();
    // A global address's privacy twin in the same /64 is the same host; another /64 is not.
    const global = subscribe(subs, "2001:db8:1:2::a").sub;
    expect(renew(global.sid, "2001:db8:1:2::b")).toBeUndefined();
    expect(renew(global.sid, "2001:db8:1:3::a")).toEqual({status: 412, message: `No subscription ${global.sid}`});
    expect(renew(global.sid, "192.168.1.10")).toEqual({status: 412, message: `No subscription ${global.sid}`});
  });
});
