import {describe, expect, it} from "vitest";
import type {VoiceSentences} from "../../../src/shared/api/voice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();

const playOf = (s: VoiceSentences) => s.triggers.find((t) => t.id === "play")?.sentences ?? [];

describe("GET /api/voice/sentences", () => {
  it("writes the family's children, Yotos and the areas holding a Yoto into the blueprint's sentences", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2, "both players known");
    const sentences = async (query: string) => {
      const res = await call("GET", `${t.adminUrl}/api/voice/sentences${query}`);
      expect(res.status).toBe(200);
      return res.body as VoiceSentences;
    };
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"]})).status).toBe(200);

    const en = await sentences("?language=en");
    expect(en.language).toBe("en");
    expect(en.names).toEqual({
      children: ["Ben", "Mia"],
      players: ["Living Room", "Bedroom Mini"],
      areas: [],
      rooms: [],
    });
    // The shipped sentences with the names where their wildcard was, then the frames with the family's targets.
    // Each line may start with a word said to anyone first ("hey").
    expect(playOf(en)).toContain(
      "[(hey|hi|okay|ok|so|now|right)] [please] [(can|could|would) you] [please] (play|put on|start) [please] {what} (on|for) (Ben|Mia|Ben's|Bens|Mia's|Mias|Living Room|Bedroom Mini) yoto [please]",
    );
    expect(
      playOf(en).some((l) =>
        l.startsWith("[(hey|hi|okay|ok|so|now|right)] (Ben|Mia) (wants|would like|wishes) to (hear|listen to) {what} "),
      ),
    ).toBe(true);
    expect(en.triggers.flatMap((t) => t.sentences).filter((l) => l.includes("{who}"))).toEqual([]);
    expect(en.triggers.find((t) => t.id === "pause")?.sentences).toContain(
      "[(hey|hi|okay|ok|so|now|right)] [please] pause (Ben|Mia|Ben's|Bens|Mia's|Mias|Living Room|Bedroom Mini) yoto [please]",
    );
    expect(en.yaml).toContain(
      'use_blueprint:\n  path: yoto_smart_stream/voice_en.yaml\n  input:\n    base_topic: "yoto"\n    play_sentences:\n',
    );
    expect(en.yaml).toContain(
      "      - \"[(hey|hi|okay|ok|so|now|right)] [please] pause (Ben|Mia|Ben's|Bens|Mia's|Mias|Living Room|Bedroom Mini) yoto [please]\"\n",
    );
    // Without a language: English; the same names give the same version.
    expect((await sentences("")).version).toBe(en.version);
    const de = await sentences("?language=de");
    expect(de.language).toBe("de");
    expect(de.yaml).toContain("  path: yoto_smart_stream/voice_de.yaml\n");
    expect(de.version).not.toBe(en.version);

    const unknown = await call("GET", `${t.adminUrl}/api/voice/sentences?language=xx`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: "There are no voice sentences in the language 'xx': ask for one of en, de (?language=en)",
      code: "unknown_voice_language",
    });

    // A voice request carries every area with its devices: the one holding a Yoto is written in, the kitchen is not.
    const asked = await call("POST", `${t.adminUrl}/api/voice`, {
      trigger: "whats_playing",
      slots: {who: "Mia"},
      area: "Mia's Room",
      devices: ["Bedroom Mini"],
      // Each with the media players in it: nothing in Mia's room plays but her Yoto.
      rooms: [
        ["Mia's Room", ["Bedroom Mini"], []],
        ["Kitchen", ["Lamp", "Kitchen Speaker"], ["Kitchen Speaker"]],
      ],
      language: "en",
    });
    expect(asked.status).toBe(200);
    const after = await sentences("?language=en");
    expect(after.names.areas).toEqual(["Mia's Room", "Mias Room"]);
    expect(after.names.rooms).toEqual(["Mia's Room", "Mias Room"]);
    expect(playOf(after)).toContain(
      "[(hey|hi|okay|ok|so|now|right)] [please] [(can|could|would|will) you] [please] (play|start playing|stream) [me] [please] {what} (in [the] (Mia's Room|Mias Room)) [please] [now] [please]",
    );
    expect(
      playOf(after).some((l) =>
        l.includes(
          "on the (yoto|yoto player|yoto mini) (in|for) [the] (Living Room|Bedroom Mini|Mia's Room|Mias Room)",
        ),
      ),
    ).toBe(true);
    expect(after.yaml).not.toContain("Kitchen");
    expect(after.version).not.toBe(en.version);

    // A TV put in Mia's room since: a title with the room alone is Home Assistant's again.
    const tv = await call("POST", `${t.adminUrl}/api/voice`, {
      trigger: "whats_playing",
      slots: {who: "Mia"},
      rooms: [["Mia's Room", ["Bedroom Mini", "TV"], ["TV"]]],
      language: "en",
    });
    expect(tv.status).toBe(200);
    const withTv = await sentences("?language=en");
    expect(withTv.names.rooms).toEqual([]);
    expect(playOf(withTv).filter((l) => l.includes("{what} (in [the]"))).toEqual([]);
  });
});
