import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {call, jsonOf} from "../../helpers/http.js";

const LAMP = `:: StoryTitle
Lamp

:: StoryData
{"ifid":"3C5E7A9B-2D4F-4A6C-8E0B-1F3A5C7E9B2D","start":"Dark"}

:: Dark
It is dark. [[Light the lamp->Lit]]

:: Lit
Now you see.
`;

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
  const imported = await fetch(`${t.adminUrl}/api/stories/import?filename=lamp.twee`, {method: "POST", body: LAMP});
  expect(imported.status).toBe(201);
});
afterAll(async () => {
  await t?.stop();
});

describe("DELETE on a story", () => {
  it("answers a JSON 405 saying the story is its file, how to take it away, and what the path takes", async () => {
    const res = await fetch(`${t.adminUrl}/api/stories/lamp`, {method: "DELETE"});
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(await jsonOf(res)).toEqual({
      error:
        "A story is not deleted over the API: 'Lamp' is its file in the rules folder (stories/lamp.yaml). Delete that file, or its story: section, and the story goes at the next reload. /api/stories/lamp takes GET",
      code: "method_not_allowed",
    });
    // Nothing was taken away.
    expect((await call("GET", `${t.adminUrl}/api/stories/lamp`)).status).toBe(200);
  });

  it("answers an unknown story's DELETE with the stories' own 404", async () => {
    const res = await call("DELETE", `${t.adminUrl}/api/stories/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({error: "No story 'nope' (stories: lamp)", code: "unknown_story"});
  });

  it("answers any other API path's wrong method in the API's error format, naming the methods it takes", async () => {
    const res = await call("PATCH", `${t.adminUrl}/api/stories`);
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      error: "/api/stories does not take PATCH: it takes HEAD, GET",
      code: "method_not_allowed",
    });
  });
});
