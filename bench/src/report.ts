import type { BundleSize } from "@aimlapi-sdk/devkit/bundle-size";
import type { LoopbackResult } from "./cases/loopback";
import { BEFORE_MODELS, type ModelTypecheckResult } from "./cases/model-typecheck";
import type { RegenerationResult } from "./cases/regeneration";
import type { StreamResult } from "./cases/stream";
import type { TypecheckCost } from "./cases/typecheck";

/** Everything one `pnpm bench` run measured, with where and when. */
export interface BenchResults {
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    date: string;
    openai: string;
    mode: string;
  };
  overhead: Record<string, number>;
  loopback: LoopbackResult;
  streams: StreamResult[];
  bundles: Record<string, BundleSize>;
  /** Apps using the structured-output and tool helpers (ours, and openai's parse + zodResponseFormat). */
  helperBundles?: Record<string, BundleSize>;
  regeneration: RegenerationResult | undefined;
  typecheck: Record<string, TypecheckCost>;
  /** Programs calling one, three and every model. */
  modelTypecheck?: ModelTypecheckResult;
}

const fmt = (n: number, digits = 0) =>
  Number.isNaN(n)
    ? "not run (--quick)"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (ours: number, peer: number) => `${(ours / peer).toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

/** The Markdown report: one table per case, ratios ours/peer, and each target met or missed. */
export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [
    "# Benchmarks",
    "",
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node}; openai ${m.openai}; mode ${m.mode}.`,
    "Every contender runs in the same process and run, on the same inputs; figures are medians of interleaved rounds.",
    "Ratios are ours / peer (for latencies and sizes, lower is better).",
    "",
    "## Per-call overhead (stub fetch returning a canned completion)",
    "",
    "| client | calls/s | ours / this |",
    "|---|---:|---:|",
    ...Object.entries(r.overhead).map(([k, v]) => `| ${k} | ${fmt(v)} | ${ratio(r.overhead.ours as number, v)} |`),
    "",
    `Targets: ≥ 0.8× raw fetch — ${verdict((r.overhead.ours as number) >= 0.8 * (r.overhead["raw fetch"] as number))}; ≥ 2× openai — ${verdict((r.overhead.ours as number) >= 2 * (r.overhead.openai as number))}.`,
    'Raw fetch has no timeout; "raw fetch + timeout" adds an AbortController and a timer per call, as every client here does.',
    "",
    "## Loopback round trip (local keep-alive server), median latency per call",
    "",
    "| client | sequential ms | ours / this | 32 concurrent ms | ours / this |",
    "|---|---:|---:|---:|---:|",
    ...Object.keys(r.loopback.sequentialMs).map((k) => {
      const s = r.loopback.sequentialMs as Record<string, number>;
      const c = r.loopback.concurrentMs as Record<string, number>;
      return `| ${k} | ${fmt(s[k] as number, 3)} | ${ratio(s.ours as number, s[k] as number)} | ${fmt(c[k] as number, 3)} | ${ratio(c.ours as number, c[k] as number)} |`;
    }),
    "",
  ];
  for (const s of r.streams) {
    const cps = s.chunksPerSecond as Record<string, number>;
    const first = s.firstChunkMs as Record<string, number>;
    out.push(
      `## Stream throughput, ${fmt(s.chunks)} chunks`,
      "",
      "| client | chunks/s | ours / this | first chunk ms |",
      "|---|---:|---:|---:|",
      ...Object.keys(cps).map(
        (k) =>
          `| ${k} | ${fmt(cps[k] as number)} | ${ratio(cps.ours as number, cps[k] as number)} | ${fmt(first[k] as number, 2)} |`,
      ),
      "",
      `Targets: ≥ 0.9× raw — ${verdict((cps.ours as number) >= 0.9 * (cps["raw fetch"] as number))}; ≥ 2× openai — ${verdict((cps.ours as number) >= 2 * (cps.openai as number))}.`,
      "",
    );
  }
  const b = r.bundles;
  const ours = b.ours as BundleSize;
  out.push(
    "## Bundle size of the same create + stream app (esbuild, minified, browser, code splitting)",
    "",
    "First load: the app's entry chunk and the chunks it imports statically, each gzipped on its own (each is its own download).",
    "On demand: chunks behind an `import()` that this app never reaches (for us: openapi-fetch, loaded on the first typed verb or middleware call, and the helpers of `stream`/`parse`/`runTools`).",
    "One file: the same app from a bundler without code splitting, which inlines the on-demand chunks.",
    "",
    "| client | first load min B | first load gzip B | ours / this (gzip) | on demand gzip B | one file gzip B |",
    "|---|---:|---:|---:|---:|---:|",
    ...Object.entries(b).map(
      ([k, v]) =>
        `| ${k} | ${fmt(v.minified)} | ${fmt(v.gzip)} | ${ratio(ours.gzip, v.gzip)} | ${fmt(v.lazy?.gzip ?? 0)} | ${fmt(v.oneFile?.gzip ?? v.gzip)} |`,
    ),
    "",
    `Targets: first load ≤ 8.1 kB gzip (8,100 B) — ${verdict(ours.gzip <= 8_100)}; ≤ 12 kB minified — ${verdict(ours.minified <= 12_000)}; ≤ 5 kB gzip — ${verdict(ours.gzip <= 5_000)}.`,
    "",
  );
  const h = r.helperBundles;
  if (h) {
    const peer = h["openai: parse + zodResponseFormat, zod"];
    const whole = (v: BundleSize) => v.gzip + (v.lazy?.gzip ?? 0);
    const plain = h["ours: parse + stream + runTools, plain JSON schemas"];
    out.push(
      "## Bundle size of apps using the structured-output and tool helpers",
      "",
      "Everything the app loads once it has used every helper it calls: first load plus on-demand chunks, gzipped per chunk.",
      "",
      "| app | first load gzip B | on demand gzip B | total gzip B | total / openai's parse app |",
      "|---|---:|---:|---:|---:|",
      ...Object.entries(h).map(
        ([k, v]) =>
          `| ${k} | ${fmt(v.gzip)} | ${fmt(v.lazy?.gzip ?? 0)} | ${fmt(whole(v))} | ${peer ? ratio(whole(v), whole(peer)) : "n/a"} |`,
      ),
      "",
      plain
        ? `An app that calls every helper loads at most ${fmt(whole(plain))} B gzip (its first load and every chunk it can load, openapi-fetch's included); one that only creates and streams loads ${fmt(ours.gzip)} B, and downloads none of the helpers. zod 4 itself is most of the zod apps.`
        : "",
      "",
    );
  }
  const g = r.regeneration;
  if (g) {
    out.push(
      "## Regeneration",
      "",
      "| step | seconds |",
      "|---|---:|",
      `| codegen CLI, pinned spec (${fmt(g.pinnedSpecBytes / 1000)} kB) | ${fmt(g.codegenPinnedSeconds, 2)} |`,
      `| codegen CLI, synthetic spec (${fmt(g.largeSpecBytes / 1_000_000, 2)} MB) | ${fmt(g.codegenLargeSeconds, 2)} |`,
      `| \`pnpm build\` cold (no turbo cache) | ${fmt(g.buildColdSeconds, 2)} |`,
      `| \`pnpm build\` warm (no change) | ${fmt(g.buildWarmSeconds, 2)} |`,
      `| \`pnpm build\` after a spec change | ${fmt(g.buildAfterSpecChangeSeconds, 2)} |`,
      `| \`pnpm spec:update\`, an additive upstream version (checks, candidate build and type-check, spec-dependent tests, adoption) | ${fmt(g.updateAdditiveSeconds, 2)} |`,
      `| \`pnpm spec:update\`, a version refused before building | ${fmt(g.updateEarlyRefusalSeconds, 2)} |`,
      `| model set: both codegen tasks, no turbo cache and no shape cache (flagship + ${fmt(g.modelSpecs)} model specs) | ${fmt(g.modelsCodegenColdSeconds, 2)} |`,
      `| model set: \`pnpm codegen\` with nothing changed (${g.modelsCodegenNoOpFullTurbo ? "FULL TURBO" : "**not FULL TURBO**"}) | ${fmt(g.modelsCodegenNoOpSeconds, 2)} |`,
      `| model set: \`pnpm codegen\` after one model spec changed | ${fmt(g.modelsCodegenOneSpecSeconds, 2)} |`,
      "",
      `Targets: warm ≤ 1.5 s — ${verdict(g.buildWarmSeconds <= 1.5)}; spec change to rebuilt packages ≤ 10 s — ${verdict(g.buildAfterSpecChangeSeconds <= 10)}; additive update ≤ 30 s — ${verdict(g.updateAdditiveSeconds <= 30)} (${fmt(g.updateAdditiveSeconds / g.buildAfterSpecChangeSeconds, 1)}× the rebuild alone, which it contains); early refusal ≤ 10 s — ${verdict(g.updateEarlyRefusalSeconds <= 10)}.`,
      `Model-set targets: cold generation of every spec ≤ 180 s — ${verdict(g.modelsCodegenColdSeconds <= 180)}; no-op is FULL TURBO — ${verdict(g.modelsCodegenNoOpFullTurbo)}; one changed spec ≤ 20 s — ${verdict(g.modelsCodegenOneSpecSeconds <= 20)}.`,
      "",
    );
  }
  const t = r.typecheck;
  out.push(
    "## Type-check cost of the same consumer program (`tsc --extendedDiagnostics`)",
    "",
    "| client | instantiations | memory KB | check s | total s |",
    "|---|---:|---:|---:|---:|",
    ...Object.entries(t).map(
      ([k, v]) =>
        `| ${k} | ${fmt(v.instantiations)} | ${fmt(v.memoryKB)} | ${fmt(v.checkSeconds, 2)} | ${fmt(v.totalSeconds, 2)} |`,
    ),
    "",
  );
  const mt = r.modelTypecheck;
  if (mt) {
    const row = (name: string, p: ModelTypecheckResult["oneModel"]) =>
      `| ${name} | ${fmt(p.models)} | ${fmt(p.instantiations)} | ${fmt(p.memoryKB)} | ${ratio(p.memoryKB, mt.oneModel.memoryKB)} | ${ratio(p.memoryKB, BEFORE_MODELS.memoryKB)} |`;
    out.push(
      "## Type-check cost per number of models (`tsc --extendedDiagnostics`, `@types/node` included)",
      "",
      `Each model's call is checked against its own spec's types. Reference: the one-model program (a create and a stream of gpt-4.1) before the model set was typed, ${fmt(BEFORE_MODELS.memoryKB)} KB (${BEFORE_MODELS.measured}).`,
      "",
      "| program | models | instantiations | memory KB | / one-model program now | / one-model program before |",
      "|---|---:|---:|---:|---:|---:|",
      row("a create and a stream of gpt-4.1", mt.oneModel),
      row("a create and a stream of 3 models from 3 providers", mt.threeModels),
      row("a create of every model", mt.allModels),
      "",
      `Targets against the one-model program before: every model ≤ 2× — ${verdict(mt.allModels.memoryKB <= 2 * BEFORE_MODELS.memoryKB)}; 3 models ≤ 1.25× — ${verdict(mt.threeModels.memoryKB <= 1.25 * BEFORE_MODELS.memoryKB)}.`,
      "",
    );
  }
  return out.join("\n");
}
