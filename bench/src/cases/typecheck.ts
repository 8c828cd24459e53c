import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../../e2e/src/run";

export interface TypecheckCost {
  instantiations: number;
  memoryKB: number;
  checkSeconds: number;
  totalSeconds: number;
}

const PROGRAMS = {
  ours: `import { createClient } from "@aimlapi-sdk/client";
const client = createClient({ apiKey: "key" });
export async function run(): Promise<string> {
  const reply = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] });
  let text = reply.choices[0]?.message.content ?? "";
  const stream = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }], stream: true });
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  return text;
}
`,
  openai: `import OpenAI from "openai";
const client = new OpenAI({ apiKey: "key", baseURL: "https://api.aimlapi.com/v1" });
export async function run(): Promise<string> {
  const reply = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] });
  let text = reply.choices[0]?.message.content ?? "";
  const stream = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }], stream: true });
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  return text;
}
`,
};

/** `tsc --extendedDiagnostics` on the same consumer program written against each client. */
export async function typecheckCost(benchDir: string): Promise<Record<keyof typeof PROGRAMS, TypecheckCost>> {
  const out = {} as Record<keyof typeof PROGRAMS, TypecheckCost>;
  for (const [name, source] of Object.entries(PROGRAMS) as [keyof typeof PROGRAMS, string][]) {
    // Inside the bench package, so both clients resolve from its node_modules.
    const dir = join(benchDir, `.tmp-typecheck-${name}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, "main.ts"), source);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            lib: ["ES2022", "DOM", "DOM.Iterable"],
            types: [],
            skipLibCheck: true,
          },
          files: ["main.ts"],
        }),
      );
      const result = await run(join(benchDir, "node_modules", ".bin", "tsc"), ["-p", dir, "--extendedDiagnostics"], {
        cwd: benchDir,
      });
      if (result.code !== 0) throw new Error(`tsc failed for ${name}: ${result.stdout.slice(0, 1000)}`);
      const num = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(result.stdout)?.[1] ?? Number.NaN);
      out[name] = {
        instantiations: num("Instantiations"),
        memoryKB: num("Memory used"),
        checkSeconds: num("Check time"),
        totalSeconds: num("Total time"),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
