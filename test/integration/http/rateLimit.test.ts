import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe("public listener rate limit", () => {
  it("answers 429 with Retry-After once a client spends its burst", async () => {
    t = await startApp([], {audioRateLimit: {burst: 3, perSecond: 0.5}});
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${t.audioUrl}/audio/x`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const limited = await fetch(`${t.audioUrl}/audio/x`);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(await jsonOf(limited)).toEqual({
      error: "Too many requests from this address; slow down and retry",
      code: "rate_limited",
    });
  });

  it("counts clients behind a trusted proxy separately by X-Forwarded-For, and ignores it from others", async () => {
    t = await startApp(["--trusted_proxies", "127.0.0.1"], {audioRateLimit: {burst: 2, perSecond: 0.01}});
    const from = async (xff: string) =>
      (await fetch(`${t!.audioUrl}/audio/x`, {headers: {"X-Forwarded-For": xff}})).status;
    expect([await from("203.0.113.1"), await from("203.0.113.1"), await from("203.0.113.1")]).toEqual([404, 404, 429]);
    expect(await from("203.0.113.2")).toBe(404);
  });

  it("does not let an untrusted peer dodge the limit with X-Forwarded-For", async () => {
    t = await startApp([], {audioRateLimit: {burst: 2, perSecond: 0.01}});
    const from = async (xff: string) =>
      (await fetch(`${t!.audioUrl}/audio/x`, {headers: {"X-Forwarded-For": xff}})).status;
    expect([await from("1.1.1.1"), await from("2.2.2.2"), await from("3.3.3.3")]).toEqual([404, 404, 429]);
  });
});
