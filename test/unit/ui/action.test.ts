import type {ReactiveController, ReactiveControllerHost} from "lit";
import {describe, expect, it} from "vitest";
import {Action} from "../../../ui/src/controllers/action.js";

/** A stand-in for a form: it only counts the redraws it is asked for. */
function host() {
  const controllers: ReactiveController[] = [];
  const h = {
    updates: 0,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => {
      h.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
  return h;
}

/** A request the test answers when it likes. */
function held() {
  let answer!: () => void;
  let refuse!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    answer = resolve;
    refuse = reject;
  });
  return {promise, answer, refuse};
}

describe("a form's action", () => {
  it("is busy while its request runs, ignores a second press meanwhile, and redraws the host", async () => {
    const form = host();
    const action = new Action(form as unknown as ReactiveControllerHost);
    const request = held();
    const first = action.run(() => request.promise);
    expect(action.busy).toBe(true);
    let secondRan = false;
    expect(
      await action.run(async () => {
        secondRan = true;
      }),
    ).toBe(false);
    expect(secondRan).toBe(false);
    request.answer();
    expect(await first).toBe(true);
    expect(action.busy).toBe(false);
    expect(action.error).toBeUndefined();
    expect(form.updates).toBeGreaterThanOrEqual(2);
  });

  it("shows the service's refusal in its words, and clears it when the next run starts", async () => {
    const action = new Action(host() as unknown as ReactiveControllerHost);
    expect(await action.run(() => Promise.reject(new Error("The address is a web page, not a stream.")))).toBe(false);
    expect(action.error).toBe("The address is a web page, not a stream.");
    const request = held();
    const next = action.run(() => request.promise);
    expect(action.error).toBeUndefined();
    request.answer();
    await next;
  });

  it("keeps a check's message from fail, and a quiet attempt never shows as busy", async () => {
    const action = new Action(host() as unknown as ReactiveControllerHost);
    action.fail("Give the stream a name and the station's address.");
    expect(action.error).toBe("Give the stream a name and the station's address.");
    const request = held();
    const attempt = action.attempt(() => request.promise);
    expect(action.busy).toBe(false);
    request.refuse(new Error("No such stream"));
    expect(await attempt).toBe(false);
    expect(action.error).toBe("No such stream");
  });
});
