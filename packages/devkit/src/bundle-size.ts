import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

/** Minified and gzipped bytes. */
export interface Bytes {
  minified: number;
  gzip: number;
}

/**
 * Size of an app bundled for browsers with code splitting, as app bundlers (Vite, webpack, Rollup,
 * esbuild with `splitting`) ship it: what loads before the app runs (its entry chunk and the chunks
 * that statically imports), and what loads later, on an `import()` the app's code reaches.
 */
export interface BundleSize extends Bytes {
  /** The chunks loaded on demand (0 when nothing is loaded lazily). */
  lazy: Bytes;
  /** The whole app in one file (a bundler without code splitting inlines the lazy chunks). */
  oneFile: Bytes;
}

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;

/** Bundles a small ESM app (its source as a string) for the browser, minified, and measures it. */
export async function measureBundle(source: string, resolveDir: string): Promise<BundleSize> {
  const common = {
    stdin: { contents: source, resolveDir, loader: "ts" as const, sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    platform: "browser" as const,
    format: "esm" as const,
    target: "es2022",
    write: false,
    logLevel: "silent" as const,
    // The published ESM build, as a browser bundler would pick it.
    conditions: ["import", "browser"],
  };
  // esbuild needs an output folder to name chunks, even when it writes nothing.
  const outdir = mkdtempSync(join(tmpdir(), "aimlapi-bundle-"));
  try {
    const split = await build({ ...common, splitting: true, outdir, metafile: true });
    const oneFile = await build(common);
    const files = new Map((split.outputFiles ?? []).map((file) => [relative(outdir, file.path), file.contents]));
    const initial = initialChunks(split.metafile, outdir);
    const sum = (names: string[]) =>
      names.reduce(
        (total, name) => {
          const bytes = files.get(name) ?? new Uint8Array();
          // Each chunk is its own download, compressed on its own.
          return { minified: total.minified + bytes.byteLength, gzip: total.gzip + gzip(bytes) };
        },
        { minified: 0, gzip: 0 },
      );
    const lazy = [...files.keys()].filter((name) => name.endsWith(".js") && !initial.includes(name));
    const whole = oneFile.outputFiles?.[0]?.contents ?? new Uint8Array();
    return { ...sum(initial), lazy: sum(lazy), oneFile: { minified: whole.byteLength, gzip: gzip(whole) } };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The entry chunk and every chunk it reaches through static imports (names relative to `outdir`). */
function initialChunks(metafile: Metafile, outdir: string): string[] {
  const outputs = Object.entries(metafile.outputs).map(([path, output]) => [relative(outdir, path), output] as const);
  const byName = new Map(outputs);
  const entry = outputs.find(([, output]) => output.entryPoint)?.[0];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imported of byName.get(name)?.imports ?? [])
      if (imported.kind === "import-statement" && !imported.external) visit(relative(outdir, imported.path));
  };
  if (entry) visit(entry);
  return [...seen];
}

/** The same create + stream app for any client; `setup` imports the client and builds `client`. */
export function createAndStreamApp(setup: string): string {
  return `${setup}
const params = { model: "openai/gpt-4.1-2025-04-14" as const, messages: [{ role: "user" as const, content: "Hi" }] };
export async function run(): Promise<string> {
  const reply = await client.chat.completions.create(params);
  let text = reply.choices[0]?.message.content ?? "";
  const stream = await client.chat.completions.create({ ...params, stream: true });
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  return text;
}
`;
}

/** The create + stream app written against this project's client (the size budget's subject). */
export const CREATE_AND_STREAM_APP = createAndStreamApp(
  `import { createClient } from "@aimlapi-sdk/client";\nconst client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });`,
);

/** The same app written against the `openai` package, pointed at the AI/ML API. */
export const OPENAI_CREATE_AND_STREAM_APP = createAndStreamApp(
  `import OpenAI from "openai";\nconst client = new OpenAI({ apiKey: "key", baseURL: "http://127.0.0.1:4010/v1", dangerouslyAllowBrowser: true });`,
);
