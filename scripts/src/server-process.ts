import type { ChildProcess } from "node:child_process";

/** Keeps the last 4,000 characters a child process writes (stdout and stderr), for failure messages. */
export function captureOutput(child: ChildProcess): () => string {
  let log = "";
  const collect = (d: Buffer) => {
    log = (log + d).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return () => log.trim();
}

/**
 * Polls `url` until it answers 2xx; fails, with what the process wrote, when the process exits
 * first or `timeoutMs` passes.
 */
export async function waitForServer(
  child: ChildProcess,
  name: string,
  url: string,
  output: () => string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${output()}`);
    const ok = await fetch(url, { headers: options.headers }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${name} did not answer on ${url} within ${timeoutMs / 1000} s: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
