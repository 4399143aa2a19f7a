/**
 * Runs `work` over every item with at most `limit` in flight, in the items' order of starting. Used where
 * a sequence of independent requests (one account's bills, one batch of writes) would otherwise wait on
 * each round trip in turn, and unbounded `Promise.all` would flood a table or a provider.
 * The first failure rejects the whole; items not yet started are not started.
 */
export async function forEachInParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.min(limit >= 1 ? Math.floor(limit) : 1, items.length);
  await Promise.all(Array.from({ length: workers }, worker));
}
