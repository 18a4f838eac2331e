/**
 * An assistant revoked while its batch of tool calls waits does nothing more: its credential was
 * checked once, when the request came, so each call asks again whether it is still allowed.
 */
import {describe, expect, it} from "vitest";
import {EVERY_GRANT} from "../../../src/assistants/assistantGrants.js";
import {McpAnswers} from "../../../src/assistants/mcpAnswers.js";
import {Logger} from "../../../src/core/logger.js";

describe("a tool call of an assistant revoked since its request came", () => {
  it("is refused with a sentence, and voice is never asked", async () => {
    const asked: string[] = [];
    let allowed = true;
    const answers = new McpAnswers({
      voice: {
        answer: async (body) => {
          asked.push(String(body.trigger));
          return {speech: "Paused Mia's Yoto.", outcome: "done"} as never;
        },
      },
      shelves: {view: async () => ({}) as never},
      children: () => ["Mia"],
      log: new Logger({level: "error"}),
      stillAllowed: () => allowed,
    });
    const caller = {id: "a1", name: "Kitchen speaker", grants: EVERY_GRANT};
    expect((await answers.call("pause_yoto", {who: "Mia"}, caller)).content).toEqual([
      {type: "text", text: "Paused Mia's Yoto."},
    ]);
    allowed = false;
    const refused = await answers.call("pause_yoto", {who: "Mia"}, caller);
    expect(refused).toEqual({
      content: [
        {
          type: "text",
          text: "The assistant 'Kitchen speaker' was revoked on the Yoto panel: it can no longer use the Yotos",
        },
      ],
      isError: true,
    });
    expect(asked).toEqual(["pause"]);
  });
});
