import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Everything the release test starts (processes, servers, a browser, temp folders), released in
 * reverse order by `release()`, which also runs on failure and on Ctrl-C.
 */
export class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];

  /** Registers a cleanup step. */
  defer(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  /** Registers a folder to delete. */
  tempDir(path: string): string {
    this.defer(() => rmSync(path, { recursive: true, force: true }));
    return path;
  }

  /** Starts a long-running process that is killed (with its group) on release. */
  start(command: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, { ...options, detached: true });
    this.defer(() => stop(child));
    return child;
  }

  /** Runs every cleanup step, newest first; failures are reported, not thrown. */
  async release(): Promise<void> {
    while (this.closers.length > 0) {
      const close = this.closers.pop();
      try {
        await close?.();
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}

/** Stops a process group: SIGTERM, then SIGKILL after 3 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  kill("SIGTERM");
  const timer = setTimeout(() => kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
