/**
 * Resolves once the next frame has been painted. Data a view's first paint does not need is asked
 * for from here, so its requests and their answers do not compete with the first paint for the
 * page's one thread. A hidden page (a panel opened in a background tab) paints nothing: at once.
 */
export function afterNextPaint(): Promise<void> {
  if (document.visibilityState === "hidden") return Promise.resolve();
  // A frame's callbacks run before it is painted; a task queued from one runs after.
  return new Promise((resolve) => requestAnimationFrame(() => window.setTimeout(resolve)));
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
