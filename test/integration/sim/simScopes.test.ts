import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {CLIENT_ID, pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const refresh = async (refreshToken: string) =>
  jsonOf(
    await fetch(`${sim!.url}/oauth/token`, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams({grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: refreshToken}),
    }),
  );
const faults = (body: object) => fetch(`${sim!.url}/sim/faults`, {method: "POST", body: JSON.stringify(body)});

// pkceTokens asks for "offline_access family:devices:control".
describe("simulated OAuth granting fewer scopes than asked, as Yoto does since June 2026", () => {
  it("cuts each token to the granted scopes, in the answer and the JWT, without an error", async () => {
    sim = await startSimulator({grantedScopes: ["offline_access"]});
    const tokens = (await pkceTokens(sim)) as unknown as Record<string, string>;
    expect(tokens.scope).toBe("offline_access");
    expect(sim.oauth.check(tokens.access_token)?.scope).toBe("offline_access");
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it("changes what the next token grants through /sim/faults, and gives no refresh token without offline_access", async () => {
    sim = await startSimulator();
    const tokens = (await pkceTokens(sim)) as unknown as Record<string, string>;
    expect(tokens.scope).toBe("offline_access family:devices:control");

    await faults({grantScopes: ["family:devices:control"]});
    const narrowed = await refresh(tokens.refresh_token as string);
    expect(narrowed.scope).toBe("family:devices:control");
    expect(narrowed.refresh_token).toBeUndefined();

    await faults({grantScopes: null});
    expect(((await pkceTokens(sim)) as unknown as Record<string, string>).scope).toBe(
      "offline_access family:devices:control",
    );
  });

  it("can keep quiet about the scopes: no `scope` field, no claim", async () => {
    sim = await startSimulator({tellScopes: {answer: false, token: false}});
    const tokens = (await pkceTokens(sim)) as unknown as Record<string, string>;
    expect(Object.hasOwn(tokens, "scope")).toBe(false);
    expect(sim.oauth.check(tokens.access_token)).toBeDefined();
    expect(sim.oauth.check(tokens.access_token)?.scope).toBeUndefined();
  });
});
