/** Commands run to completion (installs, builds, consumer programs), each stopped with its group on timeout. */
import { startProcess } from "./processes";

/** Output of a finished command. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Stop the command (and what it started) after this long; default 300 s. */
  timeoutMs?: number;
}

/** Runs a command to completion (bounded by `timeoutMs`) and returns its output, whatever its exit code. */
export async function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const proc = startProcess(command, command, args, { cwd: options.cwd, env: options.env ?? process.env });
  let stdout = "";
  let stderr = "";
  proc.child.stdout?.on("data", (d: Buffer) => {
    stdout += d;
  });
  proc.child.stderr?.on("data", (d: Buffer) => {
    stderr += d;
  });
  const spawnError = new Promise<never>((_, reject) => proc.child.once("error", reject));
  const timeoutMs = options.timeoutMs ?? 300_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop();
  }, timeoutMs);
  try {
    await Promise.race([new Promise<void>((resolve) => proc.child.once("close", () => resolve())), spawnError]);
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) stderr += `\n(stopped after ${timeoutMs / 1000} s)`;
  return { code: proc.child.exitCode, stdout, stderr };
}

/** Runs a command and fails with its output when it exits non-zero. */
export async function must(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${(result.stdout + result.stderr).slice(-4000)}`);
  }
  return result;
}
