// Renderings of the plan model shared by every document of a process: the comment and the job
// summary show the same resources, so each headline and diff is rendered once. The model is never
// changed once built, so an object's rendering cannot go stale; a WeakMap lets it go with the model.
// What is masked depends on the masker in effect, so renderings are remembered per masker.
import { currentMasker } from './markdown.js'

const UNMASKED = {}

/** `compute`, remembered per key object (and masker). */
export function memoizeByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const caches = new WeakMap<object, WeakMap<K, V>>()
  return key => {
    const masker = currentMasker() ?? UNMASKED
    let cache = caches.get(masker)
    if (!cache) {
      cache = new WeakMap()
      caches.set(masker, cache)
    }
    if (cache.has(key)) return cache.get(key) as V
    const value = compute(key)
    cache.set(key, value)
    return value
  }
}
