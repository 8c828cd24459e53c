import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, onTestFinished, test } from "vitest";
import { aliveInRegistry, CHILD_REGISTRY_ENV, startProcess, waitForOutput } from "../src/processes";
import setup from "../src/vitest-global-setup";

/** Whether a process is alive (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check` holds, polling; the test's own timeout bounds it. */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

const registry = process.env[CHILD_REGISTRY_ENV] as string;

describe("started processes", () => {
  test("the run's registry reaches the test workers, and records a process until it exits", async () => {
    expect(registry).toBeTruthy();
    const proc = startProcess("sleeper", "sleep", ["300"]);
    onTestFinished(() => proc.stop());
    const pid = proc.child.pid as number;
    expect(readdirSync(registry)).toContain(`${pid}.json`);
    expect(aliveInRegistry(registry).map((p) => p.pid)).toContain(pid);
    await proc.stop();
    expect(alive(pid)).toBe(false);
    await eventually(() => !existsSync(join(registry, `${pid}.json`)));
  });

  test("stop() ends the whole process group, what the process started included", async () => {
    const proc = startProcess("shell", "sh", ["-c", "sleep 300 & echo grandchild $!; wait"]);
    onTestFinished(() => proc.stop());
    const [, grandchild] = await waitForOutput(proc, /grandchild (\d+)/);
    expect(alive(Number(grandchild))).toBe(true);
    await proc.stop();
    await eventually(() => !alive(Number(grandchild)));
  });

  test("a process that ignores SIGTERM is killed", async () => {
    const proc = startProcess("stubborn", "sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 1; done"]);
    onTestFinished(() => proc.stop());
    await waitForOutput(proc, /ready/);
    await proc.stop();
    expect(proc.child.signalCode).toBe("SIGKILL");
  });
});

describe("the global setup", () => {
  afterEach(() => {
    process.env[CHILD_REGISTRY_ENV] = registry;
  });

  test("fails the run, naming it, when a test left a process running, and kills it", async () => {
    const teardown = setup();
    const leftover = startProcess("forgotten server", "sleep", ["300"]);
    onTestFinished(() => leftover.stop());
    expect(() => teardown()).toThrow(/left 1 process\(es\) running \(now killed\): forgotten server \(pid \d+: sleep 300\)/);
    await leftover.exited;
    expect(leftover.child.signalCode).toBe("SIGKILL");
  });

  test("passes when every process was stopped", async () => {
    const teardown = setup();
    const proc = startProcess("tidy", "sleep", ["300"]);
    await proc.stop();
    expect(() => teardown()).not.toThrow();
  });

  test("an interrupted run (SIGINT, as Ctrl-C sends) kills what it started, grandchildren included", async () => {
    const run = spawn(process.execPath, [join(import.meta.dirname, "fixtures", "interrupted-run.mjs")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    onTestFinished(() => {
      if (run.exitCode === null) run.kill("SIGKILL");
    });
    const pids = await new Promise<{ child: number; grandchild: number }>((resolve) =>
      run.stdout.on("data", (d: Buffer) => resolve(JSON.parse(String(d)))),
    );
    expect(alive(pids.grandchild)).toBe(true);
    run.kill("SIGINT");
    await new Promise((resolve) => run.once("exit", resolve));
    await eventually(() => !alive(pids.child) && !alive(pids.grandchild));
  });
});
