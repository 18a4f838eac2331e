/**
 * Resolves once the next frame has been painted. Data a view's first paint does not need is asked
 * for from here, so its requests and their answers do not compete with the first paint for the
 * page's one thread. A hidden page (a panel opened in a background tab, or put in one while it
 * loads) paints nothing: at once, or as soon as it is hidden.
 */
export function afterNextPaint(): Promise<void> {
  if (document.visibilityState === "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      document.removeEventListener("visibilitychange", done);
      resolve();
    };
    document.addEventListener("visibilitychange", done);
    // A frame's callbacks run before it is painted; a task queued from one runs after.
    requestAnimationFrame(() => window.setTimeout(done));
  });
}

/** Resolves with `promise`, or after `ms` with undefined, whichever comes first. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => resolve(undefined), ms);
    void promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      () => {
        window.clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
