/**
 * What a helper started for the current test file and must stop when the file ends, even when a
 * failing test left it running (servers, child processes). Test files share a worker process, so
 * helpers cannot hang their own `afterAll` at import (it would run for the first file only):
 * `test/setup.ts` runs these after every file's own hooks, before its temp folders go.
 */
const pending: Array<() => unknown> = [];

export function atFileEnd(stop: () => unknown): void {
  pending.push(stop);
}

export async function runFileEnd(): Promise<void> {
  await Promise.all(pending.splice(0).map(async (stop) => stop()));
}
