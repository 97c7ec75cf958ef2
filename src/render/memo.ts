// Renderings of the plan model shared by every document of a process: the comment and the job
// summary show the same resources, so each headline and diff is rendered once. The model is never
// changed once built, so an object's rendering cannot go stale; a WeakMap lets it go with the model.

/** `compute`, remembered per key object. */
export function memoizeByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>()
  return key => {
    if (cache.has(key)) return cache.get(key) as V
    const value = compute(key)
    cache.set(key, value)
    return value
  }
}
