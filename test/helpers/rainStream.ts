import path from "node:path";
import type {TestApp} from "./app.js";
import {makeTone} from "./audio.js";
import {call} from "./http.js";

/** A "rain" stream on the service, of one generated tone titled Rain: what the sleep sound tests play. */
export async function rainStream(t: TestApp): Promise<void> {
  await makeTone(path.join(t.mediaDir, "rain.mp3"), {seconds: 2, title: "Rain"});
  await t.app.library.scan();
  const rain = t.app.library.items().find((i) => i.title === "Rain");
  if (!rain) throw new Error("the library did not read rain.mp3");
  const made = await call("PUT", `${t.adminUrl}/api/streams/rain`, {items: [rain.id]});
  if (made.status !== 200) throw new Error(`the rain stream was not made: ${JSON.stringify(made.body)}`);
}
