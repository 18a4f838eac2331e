import {describe, expect, it} from "vitest";
import {startApp} from "../../helpers/app.js";

describe("an API path with a typo", () => {
  it("answers 404 naming the route it most likely meant, with the caller's own values", async () => {
    const t = await startApp();
    const asked = async (method: string, path: string) => {
      const res = await fetch(`${t.adminUrl}${path}`, {
        method,
        headers: {"Content-Type": "application/json"},
        body: method === "GET" ? undefined : "{}",
      });
      return {status: res.status, body: (await res.json()) as {error: string; code: string}};
    };
    expect(await asked("POST", "/api/players/bedroom/command")).toEqual({
      status: 404,
      body: {
        error: "No API route POST /api/players/bedroom/command (did you mean POST /api/players/bedroom/commands?)",
        code: "not_found",
      },
    });
    // A typo in a GET names the route's own method when it takes another.
    expect((await asked("GET", "/api/player")).body.error).toBe(
      "No API route GET /api/player (did you mean GET /api/players?)",
    );
    // Nothing close: no guess.
    expect((await asked("GET", "/api/teleport/now")).body.error).toBe("No API route GET /api/teleport/now");
  });
});
