/**
 * The work's value, or `{done: false}` once `ms` have passed, whichever comes first; the work goes
 * on either way, and its failure within the time is the caller's. For an answer that must not wait
 * on a slow cloud or player longer than someone is listening.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<{done: true; value: T} | {done: false}> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{done: false}>((resolve) => {
    timer = setTimeout(() => resolve({done: false}), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({done: true as const, value})), late]);
  } finally {
    clearTimeout(timer);
  }
}
