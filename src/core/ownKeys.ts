/**
 * Tables and records keyed by text users send: command names, MQTT topic parts, `set` keys, YAML
 * and option names. A plain `table[key]` walks the prototype chain, so 'constructor', 'toString'
 * or '__proto__' found Object.prototype's members: `{"command": "constructor"}` was a 500 and a
 * `set` key 'constructor' forwarded its value to the player unchecked. Look up and store such
 * keys only through these two.
 */

/** `table[key]` when `key` is one of the table's own entries; undefined otherwise. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * `target[key] = value` as an own property whatever the key: assigning to '__proto__' would
 * replace the object's prototype instead (and silently drop a string).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}

/** `Object.assign(target, source)` with each of the source's own keys set as own keys of the target (setOwn). */
export function assignOwn<T>(target: Record<string, T>, source: Readonly<Record<string, T>>): void {
  for (const key of Object.keys(source)) setOwn(target, key, source[key] as T);
}
