import { oneLine, SpecError, SpecRefusal } from "./errors";

/**
 * Runs a CLI's main function: a SpecError (or any other failure) becomes one line on stderr,
 * prefixed with the command's name, and exit code 1. A refusal adds its summary lines under it.
 */
export function runCli(command: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const reason =
      error instanceof SpecError
        ? error.message
        : `unexpected failure: ${(error as Error)?.stack?.split("\n")[0] ?? String(error)}`;
    const details = error instanceof SpecRefusal ? error.details.map((line) => `${line}\n`).join("") : "";
    process.stderr.write(`${command}: ${oneLine(reason, 600)}\n${details}`);
    process.exitCode = 1;
  });
}

/**
 * Prints `usage` and exits 0 when the arguments ask for help (`--help` or `-h`); the CLIs call it
 * before parsing, so help works whatever else is on the line.
 */
export function answerHelp(usage: string, args: string[] = process.argv.slice(2)): void {
  if (!args.includes("--help") && !args.includes("-h")) return;
  process.stdout.write(`${usage.trimEnd()}\n`);
  process.exit(0);
}
