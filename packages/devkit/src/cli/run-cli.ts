import { UsageError } from "../usage-error";

export { UsageError };

/** Runs a command's main function: any failure becomes one line on stderr, prefixed with the command, and exit code 1. */
export function runCli(command: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const reason =
      error instanceof UsageError
        ? error.message
        : `unexpected failure: ${(error as Error)?.stack?.split("\n")[0] ?? String(error)}`;
    process.stderr.write(`${command}: ${reason.replace(/\s*\n\s*/g, " ").slice(0, 600)}\n`);
    process.exitCode = 1;
  });
}
