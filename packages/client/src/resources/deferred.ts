/**
 * What the helpers' entry points give back at once while their module (lib/, loaded with `import()`
 * on first use) loads: an object that takes listeners right away and hands them over, before any
 * event can fire (the work starts only once the module is there); whose promise-returning methods,
 * iteration and `toReadableStream()` wait for it; and whose every property, once it has loaded, is
 * the implementation's own. Also the helpers' classes, as the package exports them: their static
 * factories return such objects, and `instanceof` asks the real class.
 */

/** Promise-returning methods, and methods that only queue until the implementation is there. */
const WAITS = /^(done|emitted|final\w*|totalUsage)$/;
const QUEUES = /^(on|off|once|abort)$/;

/** `T`, available at once, backed by what `load` resolves to. */
export function deferred<T extends object>(load: Promise<T>): T {
  let impl: T | undefined;
  const queued: [string, unknown[]][] = [];
  const ready = load.then((loaded) => {
    impl = loaded;
    for (const [method, args] of queued) call(loaded, method, args);
    return loaded;
  });
  // A failed load is reported by whatever waits for it.
  ready.catch(() => {});
  const proxy: T = new Proxy({} as T, {
    // `instanceof` the helper's class holds once it has loaded.
    getPrototypeOf: (target) => (impl ? Reflect.getPrototypeOf(impl) : Reflect.getPrototypeOf(target)),
    get(_, key) {
      if (impl) {
        const value = Reflect.get(impl, key, impl);
        return typeof value === "function" ? value.bind(impl) : value;
      }
      if (key === Symbol.asyncIterator) return () => lateIterator(ready);
      if (typeof key !== "string") return undefined;
      if (QUEUES.test(key))
        return (...args: unknown[]) => {
          queued.push([key, args]);
          return proxy;
        };
      if (WAITS.test(key)) return (...args: unknown[]) => ready.then((loaded) => call(loaded, key, args));
      if (key === "toReadableStream") return () => lateReadable(ready);
      // Not a thenable (`await stream` is the stream, as in openai-node); no state before it starts.
      return key === "messages" ? [] : undefined;
    },
  });
  return proxy;
}

function call(target: object, method: string, args: unknown[]): unknown {
  return (Reflect.get(target, method) as (...a: unknown[]) => unknown).apply(target, args);
}

/** The implementation's async iterator, once it is there. */
function lateIterator<T>(ready: Promise<object>): AsyncIterator<T> {
  const inner = ready.then((loaded) => (loaded as AsyncIterable<T>)[Symbol.asyncIterator]());
  return {
    next: () => inner.then((iterator) => iterator.next()),
    return: () => inner.then((iterator) => iterator.return?.() ?? { value: undefined, done: true }),
  };
}

/** The implementation's `toReadableStream()`, read through once it is there. */
function lateReadable(ready: Promise<object>): ReadableStream<Uint8Array> {
  const reader = ready.then((loaded) =>
    (loaded as { toReadableStream(): ReadableStream<Uint8Array> }).toReadableStream().getReader(),
  );
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await (await reader).read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: async (reason) => (await reader).cancel(reason),
  });
}

/**
 * A class of lib/ as the package exports it: its static factories (`fromReadableStream`,
 * `runTools` …) return deferred objects, and `x instanceof` it is true for its instances.
 */
export function lazyClass<C extends object>(load: () => Promise<C>, mark: symbol, factories: string[]): C {
  // A function, as a class is; `instanceof` asks for the mark rather than the prototype chain.
  const facade = Object.defineProperty(function helperClass() {}, Symbol.hasInstance, {
    value: (value: unknown) => Boolean(value && (value as Record<symbol, unknown>)[mark]),
  });
  for (const name of factories)
    Object.defineProperty(facade, name, {
      value: (...args: unknown[]) => deferred(load().then((loaded) => call(loaded, name, args) as object)),
    });
  return facade as unknown as C;
}
