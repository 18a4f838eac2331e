// The service for the announce bench in a process of its own, as it runs beside real players: the
// simulator (Yoto's cloud, and the player that fetches the relay) is in the bench process, so what
// the service's thread does once its audio has gone out is not counted as the player's wait.
import {parseAnnounceRequest} from "../../src/announce/request.js";
import {startBenchService} from "../cloud.js";

// argv: work folder, media folder, the simulator's endpoints (JSON), how many players to wait for,
// ffmpeg, and lame ("" for none: speech through ffmpeg).
const argv = process.argv.slice(2);
const [root, media, endpoints, count, ffmpeg] = argv.map(String) as [string, string, string, string, string];
const lame = argv[5];
const app = await startBenchService(
  {root, mediaDirs: [media], ffmpegPath: ffmpeg, ...(lame ? {lamePath: lame} : {})},
  endpoints,
  Number(count),
);
const item = app.library.items().find((it) => it.relPath === "ding.mp3");
if (!item) throw new Error("bench: the chime was not indexed");
const {url, username, password} = app.broker.connection();
process.send?.({
  ready: {
    itemId: item.id,
    itemUrl: app.links.absolute(app.links.itemPath(item)),
    broker: {url, username, password},
    mediaPlayers: Object.keys(app.mediaPlayers.names() ?? {}),
  },
});
// One announcement at a time, as the bench asks: its outcome once it is over.
process.on("message", (m: {announce?: {player: string; body: object}}) => {
  if (!m.announce) return;
  app.announcer.announce(m.announce.player, parseAnnounceRequest(m.announce.body)).then(
    (outcome) => process.send?.({announced: outcome}),
    (err: unknown) => process.send?.({announced: {error: String(err)}}),
  );
});
