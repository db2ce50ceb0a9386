/**
 * Sets `key` at the newest end of `map` (maps keep insertion order, so the
 * oldest entry is the first), then drops the oldest entries beyond `max`.
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}
