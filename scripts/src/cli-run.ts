import { oneLine, SpecError } from "./errors";

/**
 * Runs a CLI's main function: a SpecError (or any other failure) becomes one line on stderr,
 * prefixed with the command's name, and exit code 1.
 */
export function runCli(command: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const reason =
      error instanceof SpecError
        ? error.message
        : `unexpected failure: ${(error as Error)?.stack?.split("\n")[0] ?? String(error)}`;
    process.stderr.write(`${command}: ${oneLine(reason, 600)}\n`);
    process.exitCode = 1;
  });
}
