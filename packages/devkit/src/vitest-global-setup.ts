/**
 * A vitest `globalSetup` for every suite of the repository: the run keeps a registry of the
 * processes its tests start (processes.ts records them), kills them all when the run is interrupted
 * (Ctrl-C, a cancelled CI job) or exits, and fails the run when a test left one alive. It also
 * measures the machine's load once, so every worker scales its timeouts the same way.
 */
import { LOAD_FACTOR_ENV, measureLoadFactor } from "./load";
import { openRunRegistry } from "./processes";

/** Sets the run up; the returned function is vitest's teardown. */
export default function setup(): () => void {
  const registry = openRunRegistry();
  process.env[LOAD_FACTOR_ENV] ??= String(measureLoadFactor());
  return () => {
    const left = registry.close();
    if (left.length > 0)
      throw new Error(
        `tests left ${left.length} process(es) running (now killed): ${left.map((p) => `${p.name} (pid ${p.pid}: ${p.command})`).join("; ")}`,
      );
  };
}
