// A service that records listening and is then killed (-9) mid-play: the history alone, fed the
// player model's events, on a clock the parent sets (argv: data folder, start epoch ms). Says
// "checkpointed" once the open session was written at start + 65 s, then goes on playing to
// start + 100 s (not written: the next checkpoint is not due) and says "playing".
import {EventBus} from "../../src/core/events.js";
import {Logger} from "../../src/core/logger.js";
import {History} from "../../src/history/history.js";
import {newPlayer, type PlayerState} from "../../src/yoto/playerModel.js";

const [dataDir, startText] = process.argv.slice(2) as [string, string];
const start = Number(startText);
let now = start;
Date.now = () => now;

const log = new Logger({level: "error"});
const bus = new EventBus(log);
let player: PlayerState = {
  ...newPlayer({deviceId: "p1", name: "Den", deviceFamily: "v3", deviceType: "v3", online: true}),
  playback: {status: "playing", cardId: "songs", chapterTitle: "One"},
  lastSeen: new Date(start).toISOString(),
};
const players = {
  list: () => [player],
  get: () => player,
  familyCards: async () => [{cardId: "songs", title: "Songs", madeByFamily: true}],
  cardSummary: async () => undefined,
};
const history = new History({dataDir, players, bus, log, retentionDays: 365, timeZone: "UTC", sweepMs: 10});
await history.start();

const heard = (at: number) => {
  const previous = player;
  now = at;
  player = {
    ...player,
    playback: {...player.playback, position: (at - start) / 1000},
    lastSeen: new Date(at).toISOString(),
  };
  bus.emit("player.changed", {player, previous, changed: ["playback"]});
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

heard(start + 65_000);
await pause(300);
process.stdout.write("checkpointed\n");
heard(start + 100_000);
await pause(100);
process.stdout.write("playing\n");
setInterval(() => undefined, 1000);
