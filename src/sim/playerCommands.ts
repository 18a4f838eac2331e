import type {VirtualPlayer} from "./player.js";

export type Command = {ack: string; run: (player: VirtualPlayer, body: Record<string, unknown>) => boolean};

// Command topic → behaviour; ack keys are the ones real players send (reference §4.4, §10.8:
// `set-volume`, not `volume`), each echoing the request body byte for byte.
export const COMMANDS: Record<string, Command> = {
  "events/request": {ack: "events", run: (p) => always(() => p.requestEvents())},
  "status/request": {ack: "status", run: (p) => always(() => p.requestStatus(false))},
  status: {ack: "status", run: (p, b) => always(() => p.requestStatus(true, b.requestId))},
  "volume/set": {ack: "set-volume", run: (p, b) => p.setVolumePercent(b.volume)},
  "card/start": {ack: "card-play", run: (p, b) => p.startCard(b)},
  "card/stop": {ack: "card-stop", run: (p) => p.stopCard()},
  "card/pause": {ack: "card-pause", run: (p) => p.pause()},
  "card/resume": {ack: "card-resume", run: (p) => p.resume()},
  "sleep-timer/set": {ack: "sleep-timer", run: (p, b) => p.setSleepTimer(b.seconds)},
  "ambients/set": {ack: "ambients", run: (p, b) => p.setAmbient(b)},
  "display/preview": {ack: "display", run: (p, b) => p.preview(b)},
  reboot: {
    ack: "reboot",
    run: (p) =>
      always(() => {
        p.setOnline(false);
        setTimeout(() => p.setOnline(true), 50);
      }),
  },
};

function always(action: () => void): boolean {
  action();
  return true;
}
