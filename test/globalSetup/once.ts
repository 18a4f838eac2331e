/**
 * What a global setup makes once for the whole run, though two projects (integration and browser)
 * both ask for it: Vitest runs each project's global setup in the one main process, with modules of
 * its own, so what was made is kept on that process, not in a module. It is cleaned up when the
 * last project that asked for it gives it back.
 */
const MADE = Symbol.for("yoto-smart-stream.test.globalSetup");

interface Kept {
  made: Promise<{value: unknown; cleanUp?: () => Promise<void>}>;
  holders: number;
}

export async function once<T>(
  name: string,
  make: () => Promise<{value: T; cleanUp?: () => Promise<void>}>,
): Promise<{value: T; giveBack: () => Promise<void>}> {
  const store = globalThis as unknown as Record<symbol, Map<string, Kept> | undefined>;
  const all = store[MADE] ?? new Map<string, Kept>();
  store[MADE] = all;
  const kept = all.get(name) ?? {made: make(), holders: 0};
  all.set(name, kept);
  kept.holders++;
  const {value, cleanUp} = await kept.made;
  return {
    value: value as T,
    giveBack: async () => {
      if (--kept.holders > 0) return;
      all.delete(name);
      await cleanUp?.();
    },
  };
}
