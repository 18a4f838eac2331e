import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {GenaRefusal, Subscriptions} from "../../../src/upnp/gena.js";

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
    for (let i = 1; i <= 8; i++) subscribe(subs, `fe80::${i.toString(16)}`);
    expect(refusal(() => subscribe(subs, "fe80::99"))).toEqual({
      status: 503,
      message: "fe80::99's network (fe80::/64) already holds 8 subscriptions to this renderer",
    });
    expect(refusal(() => subscribe(subs, "fd00:1:2:3::abcd"))).toBeUndefined();
    expect(subs.size).toBe(9);
  });

  it("lets Home Assistant in when the places are full, in place of the biggest holder's oldest", () => {
    const lines: string[] = [];
    const subs = new Subscriptions(new Logger({level: "info", sink: (line) => lines.push(line)}));
    const first = subscribe(subs, "192.168.1.10").sub;
    for (let i = 1; i < 8; i++) subscribe(subs, "192.168.1.10");
    for (const n of [11, 12, 13]) for (let i = 0; i < 8; i++) subscribe(subs, `192.168.1.${n}`);
    expect(subs.size).toBe(32);
    // Home Assistant subscribes to both services it evented; each takes a place.
    expect(refusal(() => subscribe(subs, "192.168.1.2", "AVTransport"))).toBeUndefined();
    expect(refusal(() => subscribe(subs, "192.168.1.2", "RenderingControl"))).toBeUndefined();
    expect(subs.size).toBe(32);
    expect(subs.of("AVTransport").some((s) => s.sid === first.sid)).toBe(false);
    expect(
      lines.some((l) =>
        l.includes(
          "The renderer was full: 192.168.1.2 took the place of 192.168.1.10's oldest subscription (to AVTransport), as 192.168.1.10 held the most (8)",
        ),
      ),
    ).toBe(true);
    // A holder as big as every other is refused instead: it would only take another's place.
    const even = new Subscriptions(new Logger({level: "error", sink: () => undefined}));
    for (let n = 0; n < 16; n++) for (let i = 0; i < 2; i++) subscribe(even, `10.0.0.${n}`);
    expect(refusal(() => subscribe(even, "10.0.0.0"))).toEqual({
      status: 503,
      message: "This renderer already has 32 subscriptions",
    });
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
