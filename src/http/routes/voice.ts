import type Router from "@koa/router";
import type {VoiceAnswer, VoiceSentences, VoiceTrigger} from "../../shared/api/voice.js";
import {readJsonObject} from "../body.js";

export interface VoiceRouteDeps {
  voice: {
    answer(body: Record<string, unknown>, transaction?: unknown): Promise<VoiceAnswer>;
    acts(trigger: VoiceTrigger): boolean;
    /** A 400 for a language there are no sentences in. */
    sentences(language: string): VoiceSentences;
  };
}

/**
 * `POST /api/voice`: the voice blueprint's request over HTTP, for Node-RED or a script; the same
 * body and the same answer as `<base>/bridge/request/voice` (docs/voice.md). Only a body without a
 * known `trigger` is a 400; a refusal by the parents' rules is an answer like any other.
 */
export function voiceRoutes(router: Router, deps: VoiceRouteDeps): void {
  router.post("/api/voice", async (ctx) => {
    const body = await readJsonObject(ctx);
    const answer = await deps.voice.answer(body, body.transaction);
    // A question changes nothing: no audit line (6,000 of them pushed everything else out of the
    // log); an action is audited through the flood summary, as a burst of them would do the same.
    ctx.state.audit = answer.trigger && deps.voice.acts(answer.trigger) ? "summarised" : "none";
    ctx.body = answer;
  });

  // The blueprint's inputs with the family's own names written in: what the Voice page shows to paste.
  router.get("/api/voice/sentences", (ctx) => {
    const asked = typeof ctx.query.language === "string" ? ctx.query.language : "en";
    ctx.body = deps.voice.sentences(asked);
  });
}
