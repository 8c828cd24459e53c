import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pinnedSpecPath, readFileSync, runCli, scratchSpecsDir, sharedSpecsDir, writeFileSync } from "./helpers/cli";

const pinned = readFileSync(pinnedSpecPath());
const pinnedHash = createHash("sha256").update(pinned).digest("hex");
const previous = Buffer.from('{"openapi":"3.0.0","info":{"title":"previous pull","version":"0"},"paths":{}}');

let server: Server;
let base = "";
/** A loopback port with nothing listening on it (bound, then released). */
let closedPort = 0;
const scratchFiles = mkdtempSync(join(tmpdir(), "aimlapi-sources-"));

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case "/spec.json":
        res.writeHead(200, { "content-type": "application/json" }).end(pinned);
        return;
      case "/missing.json":
        res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
        return;
      case "/login.html":
        res.writeHead(200, { "content-type": "text/html" }).end("<!DOCTYPE html><html><body>Sign in</body></html>");
        return;
      case "/truncated.json":
        // Promises the whole file, sends half, then drops the connection.
        res.writeHead(200, { "content-type": "application/json", "content-length": pinned.length });
        res.write(pinned.subarray(0, pinned.length >> 1), () => res.destroy());
        return;
      default:
        res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratchFiles, { recursive: true, force: true });
});

function scratchFile(name: string, content: string | Buffer): string {
  const path = join(scratchFiles, name);
  writeFileSync(path, content);
  return path;
}

/** A specs folder that already holds an earlier pull, which every failure must leave untouched. */
function withPreviousPull(overlay = true) {
  const scratch = scratchSpecsDir(pinnedHash, { overlay });
  const specFile = join(scratch.dir, "gpt-4.1.json");
  writeFileSync(specFile, previous);
  return { ...scratch, specFile };
}

describe.concurrent("spec:pull succeeds", () => {
  test("from a file given with --from: validates, checks the pin, writes the file", async () => {
    const { dir, cleanup } = scratchSpecsDir(pinnedHash);
    try {
      const r = await runCli("pull-spec", ["--specs-dir", dir, "--from", pinnedSpecPath()]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^gpt-4\.1: pulled from .*gpt-4\.1\.json \(sha256 7dc3d0a8accd…, 177892 bytes\)\n$/);
      expect(readFileSync(join(dir, "gpt-4.1.json")).equals(pinned)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(["gpt-4.1.json", "overlays", "sources.json"]);
    } finally {
      cleanup();
    }
  });

  test("from SPEC_MIRROR/<name>.json", async () => {
    const { dir, cleanup } = scratchSpecsDir(pinnedHash);
    try {
      const r = await runCli("pull-spec", ["--specs-dir", dir], { SPEC_MIRROR: sharedSpecsDir() });
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "gpt-4.1.json")).equals(pinned)).toBe(true);
    } finally {
      cleanup();
    }
  });

  test("from an http URL", async () => {
    const { dir, cleanup } = scratchSpecsDir(pinnedHash);
    try {
      const r = await runCli("pull-spec", ["--specs-dir", dir, "--from", `${base}/spec.json`]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "gpt-4.1.json")).equals(pinned)).toBe(true);
    } finally {
      cleanup();
    }
  });
});

type Setup = () => { args: string[]; env?: Record<string, string>; overlay?: boolean };
const failures: [string, Setup, RegExp][] = [
  [
    "unreachable URL",
    () => ({ args: ["--from", `http://127.0.0.1:${closedPort}/spec.json`] }),
    /from http:\/\/127\.0\.0\.1:\d+\/spec\.json: network error: ECONNREFUSED/,
  ],
  ["HTTP 404", () => ({ args: ["--from", `${base}/missing.json`] }), /missing\.json: HTTP 404 Not Found$/],
  [
    "an HTML page instead of JSON",
    () => ({ args: ["--from", `${base}/login.html`] }),
    /login\.html: got an HTML page, not a JSON spec$/,
  ],
  [
    "a body cut short on the wire",
    () => ({ args: ["--from", `${base}/truncated.json`] }),
    /truncated\.json: download cut short \(truncated body\)/,
  ],
  [
    "a truncated JSON file",
    () => ({ args: ["--from", scratchFile("half.json", pinned.subarray(0, 5000))] }),
    /half\.json: truncated JSON \(5000 bytes end mid-document/,
  ],
  [
    "valid JSON that is not OpenAPI",
    () => ({ args: ["--from", scratchFile("not-openapi.json", '{"hello":"world"}')] }),
    /not-openapi\.json: not an OpenAPI document \(no "openapi" version field\)$/,
  ],
  [
    "an OpenAPI document that breaks the OpenAPI schema (a spec without an overlay)",
    () => ({
      args: ["--from", scratchFile("broken.json", '{"openapi":"3.0.0","info":{"title":"x"},"paths":{}}')],
      overlay: false,
    }),
    /broken\.json: not a valid OpenAPI 3\.0\.0 document: \/info: must have the field "version"; repair it with an overlay action$/,
  ],
  [
    "upstream's document without the overlay's repairs (no overlay in the specs folder)",
    () => ({ args: ["--from", pinnedSpecPath()], overlay: false }),
    /gpt-4\.1\.json: not a valid OpenAPI 3\.0\.0 document: \/paths\/~1v1~1chat~1completions\/post\/responses\/200: must have the field "description"; repair it with an overlay action$/,
  ],
  [
    "a document the overlay does not fit (an action matches nothing)",
    () => ({ args: ["--from", scratchFile("other.json", '{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{}}')] }),
    /other\.json: overlay action "response-description" \(#1\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing \(target .*\): upstream renamed, moved or fixed what it targets; correct or remove the action \(\+\d+ more: /,
  ],
  [
    "Swagger 2.0",
    () => ({ args: ["--from", scratchFile("swagger.json", '{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{}}')] }),
    /swagger\.json: Swagger 2\.0 document; only OpenAPI 3\.x is supported$/,
  ],
  [
    "a hash mismatch (one byte changed)",
    () => {
      const changed = Buffer.from(pinned);
      const at = changed.indexOf("AIML API");
      changed[at] = "B".charCodeAt(0);
      return { args: ["--from", scratchFile("one-byte.json", changed)] };
    },
    /one-byte\.json: sha256 mismatch: got [0-9a-f]{12}…, pinned 7dc3d0a8accd… \(to accept a new upstream version run: pnpm spec:update --from .*one-byte\.json\)$/,
  ],
  [
    "a missing mirror file",
    () => ({ args: [], env: { SPEC_MIRROR: join(scratchFiles, "no-such-mirror") } }),
    /from .*no-such-mirror\/gpt-4\.1\.json: file not found$/,
  ],
  ["a missing --from file", () => ({ args: ["--from", join(scratchFiles, "nope.json")] }), /nope\.json: file not found$/],
];

describe.concurrent("spec:pull fails with one line and leaves the previous spec byte for byte", () => {
  test.each(failures)("%s", async (_name, setup, reason) => {
    const { args, env, overlay } = setup();
    const { dir, specFile, cleanup } = withPreviousPull(overlay);
    try {
      const r = await runCli("pull-spec", ["--specs-dir", dir, ...args], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      const lines = r.stderr.split("\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^spec:pull: gpt-4\.1 from /);
      expect(lines[0]).toMatch(reason);
      expect(readFileSync(specFile).equals(previous)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(
        overlay === false ? ["gpt-4.1.json", "sources.json"] : ["gpt-4.1.json", "overlays", "sources.json"],
      );
    } finally {
      cleanup();
    }
  });

  test("an unknown option is a one-line usage error", async () => {
    const r = await runCli("pull-spec", ["--form", "x.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^spec:pull: Unknown option '--form'.*see pnpm spec:pull --help/);
  });
});

describe("--help", () => {
  test.each([
    ["pull-spec", /^usage: pnpm spec:pull \[--from <file\|url>\]/],
    ["spec-diff", /^usage: spec:diff <old> <new>/],
    ["spec-effective", /^usage: spec:effective /],
    ["spec-check", /^usage: pnpm spec:check\n/],
    ["ensure-spec", /^usage: pnpm spec:ensure\n/],
    ["codegen", /^usage: codegen --out <dir>/],
    ["prune-spec", /^usage: prune-spec /],
  ])("%s prints its usage, exit 0, whatever else is on the line", async (cli, usage) => {
    const r = await runCli(cli, ["--no-such-option", "--help"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(usage);
  });
});
