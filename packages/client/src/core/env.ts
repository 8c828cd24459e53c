/**
 * Reads an environment variable where the runtime has them (Node, Bun, Deno), and nothing
 * elsewhere: browsers and edge workers have no `process`, and that must not throw.
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get?: (key: string) => string | undefined } };
  };
  try {
    const value = g.process?.env?.[name] ?? g.Deno?.env?.get?.(name);
    return value?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws on access; treat the variable as unset.
    return undefined;
  }
}
