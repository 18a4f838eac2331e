import type {ReactiveController, ReactiveControllerHost} from "lit";
import {afterEach, describe, expect, it, vi} from "vitest";
import {FadingNotice, NOTICE_MS} from "../../../ui/src/components/fading-notice.js";

/** A stand-in for the player card: it only counts the redraws it is asked for. */
function host() {
  const controllers: ReactiveController[] = [];
  const h = {
    updates: 0,
    controllers,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => {
      h.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
  return h;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the player card's notice", () => {
  it("shows 'Quiet hours ended', then clears it after a while and redraws the card", () => {
    vi.useFakeTimers();
    const card = host();
    const notice = new FadingNotice(card as unknown as ReactiveControllerHost);
    expect(card.controllers).toEqual([notice]);
    notice.show("Quiet hours ended");
    expect(notice.text).toBe("Quiet hours ended");
    vi.advanceTimersByTime(NOTICE_MS - 1);
    expect(notice.text).toBe("Quiet hours ended");
    const before = card.updates;
    vi.advanceTimersByTime(1);
    expect(notice.text).toBeUndefined();
    expect(card.updates).toBe(before + 1);
  });

  it("keeps 'Sending…' until the answer, and a newer line gets its own full time", () => {
    vi.useFakeTimers();
    const notice = new FadingNotice(host() as unknown as ReactiveControllerHost);
    notice.show("Sending…", false);
    vi.advanceTimersByTime(NOTICE_MS * 3);
    expect(notice.text).toBe("Sending…");
    notice.show("Started 'Bedtime'");
    vi.advanceTimersByTime(NOTICE_MS - 1000);
    notice.show("Quiet hours ended");
    vi.advanceTimersByTime(NOTICE_MS - 1);
    expect(notice.text).toBe("Quiet hours ended");
    vi.advanceTimersByTime(1);
    expect(notice.text).toBeUndefined();
  });

  it("leaves no timer behind when the card leaves the page", () => {
    vi.useFakeTimers();
    const notice = new FadingNotice(host() as unknown as ReactiveControllerHost);
    notice.show("Quiet hours ended");
    notice.hostDisconnected();
    expect(notice.text).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
