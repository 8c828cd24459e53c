/**
 * The model set: the selection rule, duplicate ids, the lock, the pull (mirror and HTTP, retries,
 * bounded concurrency, atomic writes, refusals), the shapes' deduplication, the catalog of the
 * repository's pinned set, and the CLIs that take a model (spec:effective --name, spec:diff on folders).
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pinnedCatalog } from "../src/models/catalog";
import { type ModelsLock, readModelsLock, writeModelsLock } from "../src/models/lock";
import { pullModels } from "../src/models/pull-models";
import { resolveDuplicates, selectChatSpec } from "../src/models/select";
import { extractShapes, ShapeTable } from "../src/models/shapes";
import { type SpecSource, writeSources } from "../src/sources";
import { repoRoot, runCli, sharedSpecsDir } from "./helpers/cli";

const repoSources = JSON.parse(readFileSync(join(repoRoot, "specs", "sources.json"), "utf8")) as {
  specs: unknown[];
  models: ModelsLock;
};
const repoLock = repoSources.models;
/** Writes a specs folder's sources.json pinning `models` as the model set (and the flagship, if asked). */
const writeLock = (dir: string, models: unknown, flagship = false) =>
  writeFileSync(join(dir, "sources.json"), JSON.stringify(flagship ? { specs: repoSources.specs, models } : { models }));
const mirrorFolder = join(sharedSpecsDir(), "api-docs", repoLock.commit, repoLock.folder);
const SAMPLE = ["Anthropic/claude-sonnet-4.json", "Google/gemma-3n-e4b-it.json", "OpenAI/gpt-4o.json"];
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A specs folder pinning the sample files of the repository's lock, with its shared overlays (and its flagship's pin). */
function sampleSpecsDir(flagship = false): string {
  const dir = mkdtempSync(join(tmpdir(), "aimlapi-models-"));
  scratch.push(dir);
  const files = Object.fromEntries(SAMPLE.map((p) => [p, repoLock.files[p] as string]));
  writeLock(dir, { ...repoLock, files, skipped: {} }, flagship);
  for (const overlay of repoLock.sharedOverlays)
    cpSync(join(repoRoot, "specs", "overlays", overlay), join(dir, "overlays", overlay));
  return dir;
}

/** sha256 over a folder's files (paths and bytes). */
function folderHash(dir: string): string {
  const hash = createHash("sha256");
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    `${a.parentPath}/${a.name}`.localeCompare(`${b.parentPath}/${b.name}`),
  )) {
    if (!entry.isFile()) continue;
    hash.update(`${entry.parentPath}/${entry.name}\0`).update(readFileSync(join(entry.parentPath, entry.name)));
  }
  return hash.digest("hex");
}

describe("the selection rule and duplicate ids", () => {
  test("a file is a chat model's spec when it documents POST /v1/chat/completions; its ids are the model enum", () => {
    const chat = {
      paths: {
        "/v1/chat/completions": {
          post: {
            requestBody: { content: { "application/json": { schema: { properties: { model: { enum: ["a/b", "c"] } } } } } },
          },
        },
      },
    };
    expect(selectChatSpec(chat)).toEqual({ selected: true, ids: ["a/b", "c"] });
    expect(selectChatSpec({ paths: { "/v1/responses": { post: {} } } })).toEqual({
      selected: false,
      reason: "no POST /v1/chat/completions (documents /v1/responses)",
    });
    const noEnum = {
      paths: {
        "/v1/chat/completions": {
          post: { requestBody: { content: { "application/json": { schema: { properties: { model: { type: "string" } } } } } } },
        },
      },
    };
    expect(selectChatSpec(noEnum)).toMatchObject({ selected: false, reason: expect.stringMatching(/names no model ids/) });
  });

  test("an id in several files goes to the one documenting its reply, then the one named after it, then the first path", () => {
    const { owner, duplicates } = resolveDuplicates([
      { path: "X/old.json", ids: ["x/m1", "x/m2", "x/m3"], documentsResponse: false },
      { path: "X/m1-new.json", ids: ["x/m1"], documentsResponse: true },
      { path: "X/m2.json", ids: ["x/m2"], documentsResponse: false },
      { path: "X/a.json", ids: ["x/m3"], documentsResponse: false },
    ]);
    expect(owner.get("x/m1")).toBe("X/m1-new.json");
    expect(owner.get("x/m2")).toBe("X/m2.json");
    expect(owner.get("x/m3")).toBe("X/a.json");
    expect(duplicates.map((d) => d.rule)).toEqual([
      "the only one documenting its response",
      "file named after the id",
      "first path",
    ]);
  });
});

describe("the lock", () => {
  test("is the models section of specs/sources.json: writing either section keeps the other", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aimlapi-lock-"));
    scratch.push(dir);
    writeLock(dir, repoLock, true);
    await writeModelsLock(dir, { ...repoLock, date: "2026-09-01" });
    const [flagship] = repoSources.specs as SpecSource[];
    await writeSources(dir, { specs: [{ ...(flagship as SpecSource), sha256: "0".repeat(64) }] });
    const sections = JSON.parse(readFileSync(join(dir, "sources.json"), "utf8"));
    expect(Object.keys(sections)).toEqual(["specs", "models"]);
    expect(sections.specs[0].sha256).toBe("0".repeat(64));
    expect(await readModelsLock(dir)).toEqual({ ...repoLock, date: "2026-09-01" });
  });

  test.each([
    [{ commit: "f14fa72f" }, /"commit" must be a full 40-digit/],
    [{ files: { "../etc/passwd.json": "0".repeat(64) } }, /is not a relative path to a .json file/],
    [{ files: { "A/b.json": "xyz" } }, /A\/b.json needs a lowercase hex sha256/],
    [{ sharedOverlays: ["../x.yaml"] }, /"sharedOverlays" must list overlay file names/],
  ])("refuses %j with one line", async (edit, message) => {
    const dir = mkdtempSync(join(tmpdir(), "aimlapi-lock-"));
    scratch.push(dir);
    writeLock(dir, { ...repoLock, ...edit });
    await expect(readModelsLock(dir)).rejects.toThrow(message);
  });
});

describe("the pull", () => {
  let server: Server;
  let base = "";
  const hits = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  /** Paths answered with altered bytes. */
  const tampered = new Set<string>();
  /** Answers not sent yet. */
  const held: (() => void)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? "");
      const prefix = `/api-docs/${repoLock.commit}/${repoLock.folder}/`;
      const path = url.startsWith(prefix) ? url.slice(prefix.length) : "";
      hits.set(path, (hits.get(path) ?? 0) + 1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on("close", () => inFlight--);
      // Every file fails once (as a flaky CDN would), then arrives.
      const answer = () => {
        if (hits.get(path) === 1) return void res.writeHead(503).end("busy");
        let bytes: Buffer;
        try {
          bytes = readFileSync(join(mirrorFolder, path));
        } catch {
          return void res.writeHead(404).end();
        }
        if (tampered.has(path)) bytes = Buffer.concat([bytes, Buffer.from(" ")]);
        res.writeHead(200, { "content-type": "application/json" }).end(bytes);
      };
      // Answers wait until two requests are open (or a second passes, when no other comes), so
      // that reads made side by side overlap here however busy the machine is.
      held.push(answer);
      if (inFlight >= 2) for (const release of held.splice(0)) release();
      else
        setTimeout(() => {
          const at = held.indexOf(answer);
          if (at >= 0) held.splice(at, 1)[0]?.();
        }, 1000);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("from a mirror folder: every locked file, hash-checked and validated, written to specs/models/", async () => {
    const dir = sampleSpecsDir();
    const lock = (await readModelsLock(dir)) as ModelsLock;
    const result = await pullModels(dir, lock, { mirror: sharedSpecsDir(), validateAll: true });
    expect(result).toMatchObject({ files: 3, fetched: 3 });
    expect(result.ids).toBeGreaterThanOrEqual(3);
    for (const path of SAMPLE) expect(sha(readFileSync(join(dir, "models", path)))).toBe(lock.files[path]);
    // A second pull keeps the files in place and reads nothing.
    expect(await pullModels(dir, lock, { mirror: join(dir, "nowhere") })).toMatchObject({ fetched: 0 });
  });

  test("over HTTP: a failed read is retried, at most `concurrency` reads run at once", async () => {
    const dir = sampleSpecsDir();
    const lock = (await readModelsLock(dir)) as ModelsLock;
    hits.clear();
    maxInFlight = 0;
    const result = await pullModels(dir, lock, { mirror: base, concurrency: 2 });
    expect(result.fetched).toBe(3);
    for (const path of SAMPLE) expect(hits.get(path)).toBe(2);
    expect(maxInFlight).toBe(2);
  });

  test("a wrong hash refuses the whole set, naming the file, and leaves specs/models/ as it was", async () => {
    const dir = sampleSpecsDir();
    const lock = (await readModelsLock(dir)) as ModelsLock;
    await pullModels(dir, lock, { mirror: sharedSpecsDir() });
    rmSync(join(dir, "models", SAMPLE[2] as string));
    const before = folderHash(join(dir, "models"));
    tampered.add(SAMPLE[2] as string);
    hits.clear();
    try {
      await expect(pullModels(dir, lock, { mirror: base })).rejects.toThrow(
        /^OpenAI\/gpt-4o.json from http:\/\/127\.0\.0\.1:\d+\/.*: sha256 mismatch: got [0-9a-f]{12}…, pinned [0-9a-f]{12}… in specs\/sources\.json \(models\)$/,
      );
    } finally {
      tampered.clear();
    }
    expect(folderHash(join(dir, "models"))).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith(".tmp-"))).toEqual([]);
  });

  test("a pinned file that is no longer a chat model's spec is refused", async () => {
    const dir = sampleSpecsDir();
    const mirror = mkdtempSync(join(tmpdir(), "aimlapi-mirror-"));
    scratch.push(mirror);
    const notChat = Buffer.from(JSON.stringify({ openapi: "3.0.0", info: { title: "t", version: "1" }, paths: {} }));
    const target = join(mirror, "api-docs", repoLock.commit, repoLock.folder, "OpenAI", "gpt-4o.json");
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, notChat);
    const lock = { ...((await readModelsLock(dir)) as ModelsLock), files: { "OpenAI/gpt-4o.json": sha(notChat) } };
    await expect(pullModels(dir, lock, { mirror })).rejects.toThrow(
      "OpenAI/gpt-4o.json: no longer a chat model's spec: no POST /v1/chat/completions (documents no paths)",
    );
  });
});

describe("spec:ensure", () => {
  test("pulls a model spec that changed since the last verification; silent when none did", async () => {
    const dir = sampleSpecsDir(true);
    const env = { SPECS_DIR: dir, SPEC_MIRROR: sharedSpecsDir() };
    const first = await runCli("ensure-spec", [], env);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("models: 3 of 3 specs pulled");
    const file = join(dir, "models", SAMPLE[2] as string);
    writeFileSync(file, "{}");
    const second = await runCli("ensure-spec", [], env);
    expect(second.stdout).toContain("models: 1 of 3 specs pulled");
    expect(sha(readFileSync(file))).toBe(repoLock.files[SAMPLE[2] as string]);
    // Nothing changed: nothing pulled, nothing said (whether the stat or the hash decided it).
    for (let run = 0; run < 2; run++)
      expect(await runCli("ensure-spec", [], env)).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });
});

describe("per-spec overlays", () => {
  const ownOverlay = (actions: string) =>
    `overlay: 1.0.0\ninfo:\n  title: gpt-4o's own corrections\n  version: 1.0.0\nactions:\n${actions}`;
  const retitle = `  - x-id: retitle\n    target: $.info\n    description: A test correction.\n    update:\n      title: corrected by its own overlay\n`;

  test("apply after the shared ones; spec:effective shows the result", async () => {
    const dir = sampleSpecsDir(true);
    cpSync(join(repoRoot, "specs", "gpt-4.1.json"), join(dir, "gpt-4.1.json"));
    mkdirSync(join(dir, "overlays", "models", "OpenAI"), { recursive: true });
    writeFileSync(join(dir, "overlays", "models", "OpenAI", "gpt-4o.overlay.yaml"), ownOverlay(retitle));
    const lock = (await readModelsLock(dir)) as ModelsLock;
    await pullModels(dir, lock, { mirror: sharedSpecsDir() });
    const run = await runCli("spec-effective", ["--name", "openai/gpt-4o"], { SPECS_DIR: dir });
    expect(run.stderr).toBe("");
    expect((JSON.parse(run.stdout) as { info: { title: string } }).info.title).toBe("corrected by its own overlay");
  });

  test("an action of its own that matches nothing refuses the pull, naming the action", async () => {
    const dir = sampleSpecsDir();
    mkdirSync(join(dir, "overlays", "models", "OpenAI"), { recursive: true });
    const stale = `  - x-id: stale\n    target: $.paths['/v1/gone'].post\n    description: Upstream moved this.\n    update:\n      summary: x\n`;
    writeFileSync(join(dir, "overlays", "models", "OpenAI", "gpt-4o.overlay.yaml"), ownOverlay(retitle + stale));
    const lock = (await readModelsLock(dir)) as ModelsLock;
    await expect(pullModels(dir, lock, { mirror: sharedSpecsDir() })).rejects.toThrow(
      /^OpenAI\/gpt-4o.json: specs\/overlays\/models\/OpenAI\/gpt-4o.overlay.yaml: overlay action "stale" \(#2\) in .* matches nothing/,
    );
    expect(readdirSync(dir)).not.toContain("models");
  });
});

describe("shapes", () => {
  /** A document whose chat request has these properties. */
  const chat = (properties: object, description = "d") => ({
    paths: {
      "/v1/chat/completions": {
        post: {
          requestBody: {
            content: {
              "application/json": { schema: { type: "object", description, required: ["model", "messages"], properties } },
            },
          },
        },
      },
    },
  });
  const messages = {
    type: "array",
    description: "the conversation",
    items: {
      type: "object",
      required: ["role", "content"],
      properties: {
        role: { type: "string", enum: ["system", "user", "assistant", "tool"] },
        content: { type: "string", nullable: true },
        name: { type: "string" },
        tool_call_id: { type: "string" },
      },
    },
  };

  test("model and documentation are stripped, so specs that differ only there share a shape", () => {
    const a = extractShapes(chat({ model: { enum: ["a"] }, messages, top_k: { type: "number", description: "one" } }, "A"));
    expect(a.request.properties).not.toHaveProperty("model");
    expect(a.request.required).toEqual(["messages"]);
    expect(a.parameters).toEqual(["messages", "model", "top_k"]);
    const table = new ShapeTable();
    const b = extractShapes(
      chat({ model: { enum: ["b"] }, messages: { ...messages, description: "other words" }, top_k: { type: "number" } }, "B"),
    );
    const c = extractShapes(chat({ model: { enum: ["c"] }, messages }));
    const [ra, rb, rc] = [a, b, c].map((shapes) => table.intern(shapes.request, "ChatRequest"));
    expect(ra).toBe(rb);
    expect(rc).not.toBe(ra);
    // The message schema is interned once and referenced by both request shapes.
    expect(Object.keys(table.components()).filter((n) => n.startsWith("MessagesItem_"))).toHaveLength(1);
  });

  test("a pointer relative to the schema it sits in (upstream's JSON Schema habit) is resolved against that schema", () => {
    const doc = {
      paths: {
        "/v1/chat/completions": {
          post: {
            requestBody: {
              content: { "application/json": { schema: { type: "object", properties: { model: { enum: ["m"] } } } } },
            },
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: {
                      type: "object",
                      properties: { a: { type: "object", properties: { n: { type: "number" } } }, b: { $ref: "#/properties/a" } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    expect(extractShapes(doc).completion?.properties).toEqual({
      a: { type: "object", properties: { n: { type: "number" } } },
      b: { type: "object", properties: { n: { type: "number" } } },
    });
  });
});

describe("the repository's pinned set", () => {
  test("444 model ids from 408 specs; the flagship's ids are typed by the flagship's spec; shapes are deduplicated", async () => {
    const catalog = await pinnedCatalog(join(repoRoot, "specs"));
    expect(catalog).toBeDefined();
    const entries = catalog?.entries ?? [];
    expect(entries).toHaveLength(444);
    expect(Object.keys(repoLock.files)).toHaveLength(408);
    expect(Object.keys(repoLock.skipped)).toHaveLength(40);
    expect(catalog?.duplicates).toHaveLength(13);
    const flagship = entries.find((e) => e.id === "openai/gpt-4.1-2025-04-14");
    expect(flagship?.request).toBe(catalog?.flagship?.request);
    expect(new Set(entries.map((e) => e.request)).size).toBeLessThan(170);
    expect(new Set(entries.map((e) => e.completion)).size).toBeLessThanOrEqual(6);
    // Each model's parameters are its own spec's.
    expect(entries.find((e) => e.id === "google/gemma-3n-e4b-it")?.parameters).toEqual(
      expect.arrayContaining(["top_k", "min_p"]),
    );
    expect(entries.find((e) => e.id === "google/gemma-3n-e4b-it")?.parameters).not.toContain("tools");
  });

  test("MODELS.md is what the pinned set generates", async () => {
    const run = await runCli("models-doc", ["--check"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("CLIs that take a model", () => {
  test("spec:effective --name <model id> and --name <spec file> write that model's effective document", async () => {
    const byId = await runCli("spec-effective", ["--name", "openai/gpt-4o"]);
    expect(byId.stderr).toBe("");
    const doc = JSON.parse(byId.stdout) as {
      paths: Record<
        string,
        { post: { requestBody: { content: { "application/json": { schema: { properties: { model: { enum: string[] } } } } } } } }
      >;
    };
    expect(
      doc.paths["/v1/chat/completions"]?.post.requestBody.content["application/json"].schema.properties.model.enum,
    ).toContain("openai/gpt-4o");
    const byFile = await runCli("spec-effective", ["--name", "OpenAI/gpt-4o.json"]);
    expect(byFile.stdout).toBe(byId.stdout);
    const unknown = await runCli("spec-effective", ["--name", "openai/gpt-4o-typo"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim()).toBe(
      'spec:effective: no spec named "openai/gpt-4o-typo" in sources.json, and no model id or spec file of that name in specs/sources.json (models)',
    );
  });

  test("spec:diff on two folders reports models added and removed and groups the changes by model", async () => {
    const [before, after] = ["before", "after"].map((side) => {
      const dir = mkdtempSync(join(tmpdir(), `aimlapi-set-${side}-`));
      scratch.push(dir);
      for (const p of SAMPLE) cpSync(join(mirrorFolder, p), join(dir, p));
      return dir;
    }) as [string, string];
    rmSync(join(after, "Google", "gemma-3n-e4b-it.json"));
    const gpt4o = JSON.parse(readFileSync(join(after, "OpenAI", "gpt-4o.json"), "utf8"));
    delete gpt4o.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.seed;
    writeFileSync(join(after, "OpenAI", "gpt-4o.json"), JSON.stringify(gpt4o));
    const newer = JSON.parse(readFileSync(join(mirrorFolder, "OpenAI", "gpt-4o-mini.json"), "utf8"));
    newer.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.model.enum = [
      "openai/gpt-9-test",
    ];
    writeFileSync(join(after, "OpenAI", "gpt-9-test.json"), JSON.stringify(newer));
    const run = await runCli("spec-diff", [before, after, "--json"]);
    expect(run.stderr).toBe("");
    const diff = JSON.parse(run.stdout) as {
      level: string;
      added: string[];
      removed: string[];
      groups: { models: string[]; level: string; changes: { message: string }[] }[];
    };
    expect(diff.level).toBe("breaking");
    expect(diff.added).toEqual(["openai/gpt-9-test"]);
    expect(diff.removed).toEqual(["google/gemma-3n-e4b-it"]);
    expect(diff.groups).toEqual([
      {
        models: ["gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "openai/gpt-4o"],
        level: "breaking",
        changes: [expect.objectContaining({ message: 'property "seed" removed' })],
      },
    ]);
    const text = await runCli("spec-diff", [before, after]);
    expect(text.stdout.split("\n")[0]).toBe("model set: breaking (1 added, 1 removed, 4 changed)");
  });
});
