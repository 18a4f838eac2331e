import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PlayGate} from "../../../src/gate/playGate.js";
import {Voice} from "../../../src/voice/voice.js";
import {Admissions} from "../../../src/yoto/admission.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

/** The voice service over one player and no family: what it reads is plain data here, its clock the test's. */
function voiceOver(clock: {now: number}, opts: {quiet?: string} = {}) {
  const player: PlayerState = {
    ...newPlayer({deviceId: "p1", name: "Living Room", deviceFamily: "v3", deviceType: "v3", online: true}),
    playback: {status: "playing", cardId: "songs"},
  };
  const sent: string[] = [];
  const lines: string[] = [];
  const journal: string[] = [];
  const voice = new Voice({
    players: {
      list: () => [player],
      command: async (_id, command) => {
        sent.push(command.command);
        return null;
      },
      cardSummary: async () => ({title: "Songs"}),
      cloud: {state: "connected"},
    },
    family: {
      roster: () => ({children: [], listeners: []}),
      view: () => undefined,
      askForMore: async () => ({result: "not_quiet"}),
    },
    // The real gate, over the test's quiet and journal.
    gate: new PlayGate({
      admissions: new Admissions(),
      refusal: () => opts.quiet,
      held: () => (opts.quiet ? {reason: "quiet", until: 7 * 3_600_000} : undefined),
      journal: async (_id, text) => {
        journal.push(text);
      },
      cloudConnected: () => true,
      log: new Logger({level: "error", sink: () => undefined}),
      now: () => clock.now,
    }),
    listening: {todaySeconds: () => 0},
    choices: async () => [],
    play: async () => undefined,
    ownTitle: () => undefined,
    timeZone: () => "UTC",
    log: new Logger({level: "debug", sink: (line) => lines.push(line)}),
    now: () => clock.now,
    rate: {perSecond: 10, burst: 20},
  });
  return {voice, sent, lines, journal};
}

describe("the voice service", () => {
  it("acts on a burst of 20 and 10 a second after it; the rest are told to wait, questions never", async () => {
    const clock = {now: 1_000_000};
    const {voice, sent, lines} = voiceOver(clock);
    await voice.start();
    const pause = () => voice.answer({trigger: "pause", slots: {who: "living room"}});
    const said = await Promise.all(Array.from({length: 30}, pause));
    expect(said.filter((a) => a.outcome === "done")).toHaveLength(20);
    expect(said.filter((a) => a.outcome === "busy").map((a) => a.speech)).toEqual(
      Array(10).fill("Too many requests at once. Try again in a moment."),
    );
    expect(sent).toHaveLength(20);
    // Questions only read: asked while the bucket is empty, answered.
    expect((await voice.answer({trigger: "whats_playing"})).speech).toBe("Living Room is playing “Songs”.");
    clock.now += 500;
    const later = await Promise.all(Array.from({length: 6}, pause));
    expect(later.map((a) => a.outcome)).toEqual(["done", "done", "done", "done", "done", "busy"]);
    // The log says the first few refused and counts the rest.
    expect(lines.filter((l) => l.includes("too many requests at once"))).toHaveLength(5);
    expect(voice.stats).toMatchObject({busy: 11});
    // Told to wait, a transaction is not remembered: asked again once there is room, it acts.
    expect((await voice.answer({trigger: "stop"}, "01JWAIT")).outcome).toBe("busy");
    clock.now += 1000;
    expect((await voice.answer({trigger: "stop"}, "01JWAIT")).outcome).toBe("done");
    await voice.stop();
  });

  it("writes a repeated refusal in the journal once a minute", async () => {
    const clock = {now: 1_000_000};
    const {voice, sent, journal: refusals} = voiceOver(clock, {quiet: "'Living Room' is quiet until 07:00"});
    await voice.start();
    for (let i = 0; i < 5; i++)
      expect((await voice.answer({trigger: "resume"}, `r${i}`)).speech).toBe("Living Room is quiet until 7:00.");
    expect(refusals).toEqual(["Play again, asked for by voice, was not played: 'Living Room' is quiet until 07:00"]);
    clock.now += 60_000;
    await voice.answer({trigger: "resume"});
    expect(refusals).toHaveLength(2);
    expect(sent).toEqual([]);
    await voice.stop();
  });

  it("answers a transaction asked again from what it answered, and acts once", async () => {
    const clock = {now: 1_000_000};
    const {voice, sent} = voiceOver(clock);
    await voice.start();
    const first = await voice.answer({trigger: "stop"}, "01JTXN");
    expect(first).toMatchObject({speech: "Stopped Living Room.", outcome: "done"});
    expect(await voice.answer({trigger: "stop"}, "01JTXN")).toBe(first);
    expect(sent).toEqual(["stop"]);
    // The same transaction with another request is a new request (a script reusing its transaction).
    expect(await voice.answer({trigger: "pause"}, "01JTXN")).toMatchObject({speech: "Paused Living Room."});
    expect(sent).toEqual(["stop", "pause"]);
    // Two minutes on, the same transaction is a new request.
    clock.now += 2 * 60_000;
    await voice.answer({trigger: "stop"}, "01JTXN");
    expect(sent).toEqual(["stop", "pause", "stop"]);
    await voice.stop();
  });
});
