import path from "node:path";
import type {TestApp} from "./app.js";
import {makeTone} from "./audio.js";
import {call} from "./http.js";

/** A "rain" stream on the service, one generated tone titled Rain looped: what the sleep sound tests play. */
export async function rainStream(t: TestApp): Promise<void> {
  await makeTone(path.join(t.mediaDir, "rain.mp3"), {seconds: 2, title: "Rain"});
  await t.app.library.scan();
  const rain = t.app.library.items().find((i) => i.title === "Rain");
  if (!rain) throw new Error("the library did not read rain.mp3");
  // Looped, as a sleep sound's stream is: it plays until something stops it.
  const made = await call("PUT", `${t.adminUrl}/api/streams/rain`, {items: [rain.id], mode: "loop"});
  if (made.status !== 200) throw new Error(`the rain stream was not made: ${JSON.stringify(made.body)}`);
}
