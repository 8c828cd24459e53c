/**
 * Child processes that tests and end-to-end scripts start: each in its own process group (so a stop
 * reaches its children too), recorded in the run's registry when there is one (see
 * vitest-global-setup.ts, which stops and reports anything left), and stopped with TERM, then KILL.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The variable naming the folder where a test run records the processes it starts. */
export const CHILD_REGISTRY_ENV = "AIMLAPI_CHILD_REGISTRY";

/** A process started with {@link startProcess}. */
export interface ManagedProcess {
  /** The name used in messages ("mock-server CLI", "verdaccio" …). */
  name: string;
  child: ChildProcess;
  /** The last 4,000 characters it wrote (stdout and stderr). */
  output(): string;
  /** Resolves when it has exited. */
  exited: Promise<void>;
  /** Stops it and everything it started (TERM, then KILL after 3 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running process in its own process group, recorded in the run's registry until it
 * exits. Pipe its output (`stdio: ["ignore", "pipe", "pipe"]`, the default) to read it with `output()`.
 */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  const output = captureOutput(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const record = child.pid === undefined ? undefined : register(child.pid, name, [command, ...args].join(" "));
  void exited.then(() => record?.remove());
  return { name, child, output, exited, stop: () => stopGroup(child, exited) };
}

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

/** Sends a signal to a whole process group; false when it is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    signalGroup(pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
  // The leader is gone; anything it started that outlived it goes too.
  signalGroup(pid, "SIGKILL");
}

/**
 * Polls `url` until it answers 2xx; fails, with what the process wrote, when the process exits
 * first or `timeoutMs` passes.
 */
export async function waitForServer(
  proc: ManagedProcess,
  url: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited ${proc.child.exitCode}: ${proc.output()}`);
    const ok = await fetch(url, { headers: options.headers }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${proc.name} did not answer on ${url} within ${timeoutMs / 1000} s: ${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves with the first match of `pattern` in what the process writes; fails if it exits first. */
export function waitForOutput(proc: ManagedProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(proc.output());
      if (!match) return false;
      done();
      resolve(match);
      return true;
    };
    const onExit = () => {
      if (!check()) {
        done();
        reject(new Error(`${proc.name} exited ${proc.child.exitCode} before printing ${pattern}: ${proc.output()}`));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${proc.name} did not print ${pattern} within ${timeoutMs / 1000} s: ${proc.output()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.child.stdout?.off("data", check);
      proc.child.stderr?.off("data", check);
      proc.child.off("exit", onExit);
    };
    proc.child.stdout?.on("data", check);
    proc.child.stderr?.on("data", check);
    proc.child.once("exit", onExit);
    check();
  });
}

/** A process recorded in a run's registry. */
export interface RecordedProcess {
  pid: number;
  name: string;
  command: string;
}

/** Records a started process in the run's registry (when the run keeps one); `remove()` forgets it. */
function register(pid: number, name: string, command: string): { remove(): void } | undefined {
  const dir = process.env[CHILD_REGISTRY_ENV];
  // No registry, or the run that kept it is over.
  if (!dir || !existsSync(dir)) return undefined;
  const file = join(dir, `${pid}.json`);
  try {
    writeFileSync(file, JSON.stringify({ pid, name, command } satisfies RecordedProcess));
  } catch {
    // The run ended between the check and the write.
    return undefined;
  }
  return { remove: () => rmSync(file, { force: true }) };
}

/** The processes a registry still records whose group is alive. */
export function aliveInRegistry(dir: string): RecordedProcess[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  const alive: RecordedProcess[] = [];
  for (const file of files) {
    let entry: RecordedProcess;
    try {
      entry = JSON.parse(readFileSync(join(dir, file), "utf8")) as RecordedProcess;
    } catch {
      continue;
    }
    if (signalGroup(entry.pid, 0)) alive.push(entry);
    else rmSync(join(dir, file), { force: true });
  }
  return alive;
}

/** Kills every process group a registry records (synchronous: safe in signal and exit handlers). */
export function killRegistry(dir: string): void {
  for (const entry of aliveInRegistry(dir)) signalGroup(entry.pid, "SIGKILL");
}

/** A registry for this process and what it starts, with its processes killed when this one is interrupted or exits. */
export interface RunRegistry {
  dir: string;
  /** The processes still alive (then killed), and the registry removed. */
  close(): RecordedProcess[];
}

/**
 * Keeps a registry of every process this run (and its workers, through the environment) starts,
 * and kills them all when the run is interrupted (SIGINT from Ctrl-C, SIGTERM/SIGHUP from a
 * cancelled job) or exits. `close()` reports what was left alive, for a run to fail on.
 */
export function openRunRegistry(): RunRegistry {
  const dir = mkdtempSync(join(tmpdir(), "aimlapi-children-"));
  process.env[CHILD_REGISTRY_ENV] = dir;
  const killAll = () => killRegistry(dir);
  const end = () => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    end();
    // When nobody else handles the signal, end as it would have ended this process.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  process.on("exit", end);
  for (const signal of signals) process.once(signal, onSignal);
  return {
    dir,
    close() {
      const left = aliveInRegistry(dir);
      end();
      process.off("exit", end);
      for (const signal of signals) process.off(signal, onSignal);
      return left;
    },
  };
}

/**
 * Everything an end-to-end script starts (processes, servers, a browser, temp folders), released in
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

  /** Starts a long-running process that is stopped (with its group) on release. */
  start(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
    const proc = startProcess(name, command, args, options);
    this.defer(() => proc.stop());
    return proc;
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
