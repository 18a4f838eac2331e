import {describe, expect, it} from "vitest";
import {startApp} from "../../helpers/app.js";
import {rawRequest} from "../../helpers/http.js";
import {callbackServer, subscribe} from "../../helpers/upnpHttp.js";

const renew = (base: string, sid: string, localAddress: string) =>
  rawRequest(`${base}/ContentDirectory/event`, {
    method: "SUBSCRIBE",
    headers: {SID: sid, TIMEOUT: "Second-600"},
    localAddress,
  });
const cancel = (base: string, sid: string, localAddress: string) =>
  rawRequest(`${base}/ContentDirectory/event`, {method: "UNSUBSCRIBE", headers: {SID: sid}, localAddress});

describe("the library's event subscriptions belong to their subscriber", () => {
  it("refuses a CALLBACK on any of this service's own listeners with 412, naming it", async () => {
    const t = await startApp();
    const base = `http://127.0.0.1:${t.app.upnp.port}/upnp/library`;
    const own = {
      admin: new URL(t.adminUrl).port,
      UPnP: String(t.app.upnp.port),
      MQTT: String(t.app.broker.summary().port),
    };
    for (const [name, port] of Object.entries(own)) {
      const res = await subscribe(base, "ContentDirectory", `http://127.0.0.1:${port}/api/players`);
      expect(res.status).toBe(412);
      expect(res.body.toString()).toBe(
        `CALLBACK 127.0.0.1:${port} is this service's own ${name} listener: give a port your control point listens on\n`,
      );
    }
  });

  it("lets only the subscriber's address renew or cancel a subscription; another that knows the SID is told there is none", async () => {
    const t = await startApp();
    const base = `http://127.0.0.1:${t.app.upnp.port}/upnp/library`;
    const mine = await callbackServer("127.0.0.1");
    const made = await subscribe(base, "ContentDirectory", mine.url);
    expect(made.status).toBe(200);
    const sid = String(made.headers.sid);

    const renewed = await renew(base, sid, "127.0.0.2");
    expect(renewed.status).toBe(412);
    expect(renewed.body.toString()).toBe(`No subscription ${sid}\n`);
    const cancelled = await cancel(base, sid, "127.0.0.2");
    expect(cancelled.status).toBe(412);
    expect(cancelled.body.toString()).toBe("No such subscription (SID)\n");

    // The subscription is still there: the subscriber itself renews and cancels it as ever.
    expect((await renew(base, sid, "127.0.0.1")).status).toBe(200);
    expect((await cancel(base, sid, "127.0.0.1")).status).toBe(200);
    expect((await renew(base, sid, "127.0.0.1")).status).toBe(412);
  });
});
