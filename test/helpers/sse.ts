import http from "node:http";

export type Sse = {event: string; data: unknown};

/**
 * Server-sent events read from `url` as the panel reads `/api/events`: every event in `seen`,
 * `opened` once the stream says hello, `done` when `until` holds for one.
 */
export function readEvents(url: string, until: (event: string, data: unknown) => boolean = () => false) {
  const seen: Sse[] = [];
  let markOpen = () => {};
  let finish: (events: Sse[]) => void = () => {};
  const opened = new Promise<void>((resolve) => {
    markOpen = resolve;
  });
  const done = new Promise<Sse[]>((resolve) => {
    finish = resolve;
  });
  const request = http.get(url, (res) => {
    let buffer = "";
    res.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = block.match(/^event: (.+)$/m)?.[1];
        const data = block.match(/^data: (.+)$/m)?.[1];
        if (!event || data === undefined) continue;
        if (event === "hello") markOpen();
        const parsed: unknown = JSON.parse(data);
        seen.push({event, data: parsed});
        if (until(event, parsed)) finish(seen);
      }
    });
  });
  return {seen, opened, done, close: () => request.destroy()};
}
