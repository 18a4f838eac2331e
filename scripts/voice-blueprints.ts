// Writes the voice blueprints from the language files (`npm run docs:voice`): one per language.
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {PACKAGE_ROOT} from "../src/paths.js";
import {blueprintFile, voiceBlueprint} from "../src/voice/blueprint.js";
import {VOICE_LANGUAGES} from "../src/voice/voiceRequest.js";

for (const lang of Object.values(VOICE_LANGUAGES)) {
  await writeFile(path.join(PACKAGE_ROOT, blueprintFile(lang)), voiceBlueprint(lang));
  console.log(`${blueprintFile(lang)} written`);
}
