// Writes the voice blueprints from the language files (`npm run docs:voice`): one automation blueprint
// per language, and the script blueprints for LLM assistants and Home Assistant's MCP server.
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {PACKAGE_ROOT} from "../src/paths.js";
import {blueprintFile, voiceBlueprint} from "../src/voice/blueprint.js";
import {
  SCRIPT_BLUEPRINT_FOLDER,
  SCRIPT_BLUEPRINTS,
  scriptBlueprint,
  scriptBlueprintFile,
} from "../src/voice/scriptBlueprint.js";
import {VOICE_LANGUAGES} from "../src/voice/voiceRequest.js";

for (const lang of Object.values(VOICE_LANGUAGES)) {
  await writeFile(path.join(PACKAGE_ROOT, blueprintFile(lang)), voiceBlueprint(lang));
  console.log(`${blueprintFile(lang)} written`);
}

await mkdir(path.join(PACKAGE_ROOT, SCRIPT_BLUEPRINT_FOLDER), {recursive: true});
for (const id of SCRIPT_BLUEPRINTS) {
  await writeFile(path.join(PACKAGE_ROOT, scriptBlueprintFile(id)), scriptBlueprint(id, Object.keys(VOICE_LANGUAGES)));
  console.log(`${scriptBlueprintFile(id)} written`);
}
