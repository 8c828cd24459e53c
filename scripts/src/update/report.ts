/**
 * A refusal's report: every problem found, in sections. The terminal gets a summary of at most 40
 * lines, verdict first; the whole report goes to a log file whose path the summary ends with.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpecRefusal } from "../errors";

/** One kind of problem: a title, one line per problem, and optional detail only the log file gets. */
export interface Section {
  title: string;
  lines: string[];
  /** Full text for the log (compiler output, test failure messages). */
  detail?: string;
}

/** The most lines a summary prints, verdict and log path included. */
export const SUMMARY_LINES = 40;

/** The summary lines under the verdict: each section's title, then as many of its lines as fit. */
export function summarize(sections: Section[], logPath: string): string[] {
  const budget = SUMMARY_LINES - 2; // the verdict above, the log path below
  const out: string[] = [];
  // Every section gets its title; the lines left are shared out in order, keeping one for "… more".
  let left = budget - sections.length;
  for (const [index, section] of sections.entries()) {
    out.push(`${section.title}:`);
    const sectionsAfter = sections.length - index - 1;
    const room = Math.max(0, left - sectionsAfter);
    const shown = section.lines.length <= room ? section.lines : section.lines.slice(0, Math.max(0, room - 1));
    out.push(...shown.map((l) => `  ${l}`));
    const hidden = section.lines.length - shown.length;
    if (hidden > 0) out.push(`  … and ${hidden} more (see the log)`);
    left -= shown.length + (hidden > 0 ? 1 : 0);
  }
  out.push(`details: ${logPath}`);
  return out;
}

/** Writes the whole report to `report.log` in `dir` (default: a fresh folder under the system's temporary folder); returns its path. */
async function writeLog(verdict: string, sections: Section[], context: string[], dir?: string): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), "aimlapi-spec-update-"));
  const path = join(dir, "report.log");
  const body = [
    verdict,
    "",
    ...context,
    ...sections.flatMap((s) => ["", `== ${s.title} (${s.lines.length})`, ...s.lines, ...(s.detail ? ["", s.detail] : [])]),
  ];
  await writeFile(path, `${body.join("\n")}\n`);
  return path;
}

/** The refusal to throw: the verdict, the summary under it, the log written. */
export async function refusal(verdict: string, sections: Section[], context: string[] = [], dir?: string): Promise<SpecRefusal> {
  const path = await writeLog(verdict, sections, context, dir);
  return new SpecRefusal(verdict, summarize(sections, path));
}

/** How many problems the sections hold, as a phrase ("3 problems"). */
export function problemCount(sections: Section[]): string {
  const n = sections.reduce((sum, s) => sum + s.lines.length, 0);
  return `${n} problem${n === 1 ? "" : "s"}`;
}
