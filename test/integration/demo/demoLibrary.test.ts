import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {decodeErrors} from "../../helpers/audio.js";
import {type RunningDemo, startDemo} from "../../helpers/demo.js";
import {until} from "../../helpers/historyStack.js";
import {rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let demo: RunningDemo | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

const xmlText = (text: string) =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");

/** BrowseDirectChildren over plain SOAP: the children's titles and, for items, their first res. */
async function browse(control: string, id: string): Promise<Array<{title: string; res?: string}>> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ObjectID>${id}</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
  const res = await fetch(control, {
    method: "POST",
    headers: {
      SOAPACTION: '"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"',
      "Content-Type": 'text/xml; charset="utf-8"',
    },
    body,
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const didl = xmlText(/<Result>([\s\S]*)<\/Result>/.exec(text)?.[1] ?? "");
  return [...didl.matchAll(/<(container|item)\b[\s\S]*?<\/\1>/g)].map(([entry]) => {
    const title = xmlText(/<dc:title>([^<]*)<\/dc:title>/.exec(entry)?.[1] ?? "");
    const res = /<res\b[^>]*>([^<]*)<\/res>/.exec(entry)?.[1];
    return {title, ...(res ? {res: xmlText(res)} : {})};
  });
}

describe("npm run demo's family library", () => {
  it("serves the library on loopback as a DLNA media server, with the demo's archived card, stream and station", async () => {
    demo = await startDemo();
    const description =
      /Family library \(DLNA media server\): (http:\/\/127\.0\.0\.1:\d+\/upnp\/library\/description\.xml)/.exec(
        demo.printed,
      )?.[1];
    expect(description, demo.printed).toBeDefined();
    const doc = await (await fetch(description as string)).text();
    expect(doc).toContain("<deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>");
    const control = (description as string).replace("description.xml", "ContentDirectory/control");

    expect((await browse(control, "0")).map((e) => e.title)).toEqual([
      "Cards",
      "Streams",
      "Radio",
      "Podcasts",
      "Stories",
      "Library",
      "Recently played",
    ]);
    // Called by its name in words (it has no card of its own here), beside its queue.
    expect((await browse(control, "streams")).map((e) => e.title)).toEqual(["Demo", "Demo (queue)"]);
    expect((await browse(control, "radio")).length).toBe(1);
    // The demo archives the family's own card as it starts: it comes into Cards once that run ends.
    // Its stream and story cards only stream from here: nothing of theirs is held, so they are not listed.
    await until(async () => (await browse(control, "cards")).length > 0, "the archived card", 30_000);
    expect((await browse(control, "cards")).map((c) => c.title)).toEqual(["Grandma's songs"]);
    // Each of its chapters holds one track: the chapter is that track (no folder around it).
    const [track] = await browse(control, "cards/dFam1");
    expect(track?.title).toBeTruthy();
    expect(track?.res).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archive\/dFam1\/1\/1\.mp3\?sig=/);
    const audio = await rawRequest(track?.res as string);
    expect(audio.status).toBe(200);
    const file = path.join(await tempDir("yss-demo-library-"), "track.mp3");
    await writeFile(file, audio.body);
    expect(await decodeErrors(file)).toBe("");
  }, 120_000);
});
