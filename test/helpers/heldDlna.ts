import type {ServerResponse} from "node:http";
import type {ServerView} from "../../src/mediaServers/mediaServer.js";
import type {TestApp} from "./app.js";
import {didlFolder, didlTrack, fakeDlna, soapAnswer} from "./fakeDlna.js";
import {atFileEnd} from "./fileEnd.js";

/** How a track of the folder answers: at once, held until released, or held and then refused (404). */
export type Plan = "now" | "held" | "held-404";

/** A folder of a media server whose tracks come when the test says. */
export interface HeldFolder {
  /** The folder's `dlna:` ref, as "Add all" queues it. */
  ref: string;
  serverId: string;
  /** The parts asked for, in the order asked. */
  asked: number[];
  /** Lets every held track go, and any asked for later. */
  release(): void;
  /** Resolves once `count` requests are held at the same time. */
  held(count: number): Promise<void>;
  /** Closes the media server and its connections (it is closed at the file's end anyway). */
  close(): Promise<void>;
}

/**
 * A media server added to `app` with one folder, "Audiobook" (id `book`), of tracks `Part 1`…
 * answering as `plans` says, each with `audio(part)` (MP3 bytes as audio/mpeg unless told).
 */
export async function heldFolder(
  app: Pick<TestApp, "adminUrl">,
  plans: Plan[],
  audio: (part: number) => {type: string; bytes: Buffer},
): Promise<HeldFolder> {
  const asked: number[] = [];
  let holding = 0;
  const watchers: Array<{count: number; resolve: () => void}> = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const send = (res: ServerResponse, part: number, plan: Plan): void => {
    if (plan === "held-404") {
      res.writeHead(404).end();
      return;
    }
    const {type, bytes} = audio(part);
    res.writeHead(200, {"Content-Type": type, "Content-Length": String(bytes.length)}).end(bytes);
  };
  const server = await fakeDlna(
    (call, base) =>
      call.flag === "BrowseMetadata"
        ? soapAnswer("Browse", didlFolder("book", "Audiobook"), 1)
        : soapAnswer(
            "Browse",
            plans.map((_, i) => didlTrack(`p${i + 1}`, `Part ${i + 1}`, `${base}/p${i + 1}.mp3`)).join(""),
            plans.length,
          ),
    (url, res) => {
      const part = Number(/^\/p(\d+)\.mp3$/.exec(url)?.[1]);
      const plan = plans[part - 1] as Plan;
      asked.push(part);
      if (plan === "now") {
        send(res, part, plan);
        return;
      }
      holding++;
      for (const w of watchers.splice(0)) {
        if (holding >= w.count) w.resolve();
        else watchers.push(w);
      }
      void released.then(() => send(res, part, plan));
    },
  );
  atFileEnd(server.close);
  const created = await fetch(`${app.adminUrl}/api/sources`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({url: `${server.url}/desc.xml`}),
  });
  const view = (await created.json()) as ServerView & {error?: string};
  if (created.status !== 201) throw new Error(`the test's media server was not added: ${view.error}`);
  return {
    ref: `dlna:${view.id}:book`,
    serverId: view.id,
    asked,
    release,
    held: (count: number) =>
      new Promise<void>((resolve) => (holding >= count ? resolve() : watchers.push({count, resolve}))),
    close: server.close,
  };
}
