/**
 * The scenario every consumer runs against the mock server, in whatever runtime it lives: a JSON
 * completion, a streamed completion read to `[DONE]` with usage, an API error surfacing as its
 * class with the request id, and an abort mid-stream.
 */

/** The reply the mock server gives to {@link PARAMS}. */
export const EXPECTED = 'This is a mock reply to: "Hello from a consumer".';

/** The request every consumer sends. */
export const PARAMS = `{ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hello from a consumer" }] }`;

/** What a consumer reports. */
export interface ScenarioOutput {
  /** The JSON completion's text. */
  json: string;
  /** The streamed completion's text. */
  stream: string;
  /** The usage chunk's total tokens. */
  usage: number;
  /** The class, status and request id of the error a 429 surfaced as. */
  error: string;
  /** The class of the error an abort mid-stream surfaced as, and the text read before it. */
  abort: string;
}

/**
 * Statements (valid JavaScript and strict TypeScript) that run the scenario with `client`,
 * `RateLimitError` and `APIUserAbortError` in scope and leave the outcome in `result`.
 */
export const SCENARIO = `
const reply = await client.chat.completions.create(${PARAMS});
const stream = await client.chat.completions.create({ ...${PARAMS}, stream: true, stream_options: { include_usage: true } });
let text = "";
let usage = 0;
for await (const chunk of stream) {
  text += chunk.choices[0]?.delta?.content ?? "";
  usage = chunk.usage?.total_tokens ?? usage;
}
let error = "no error";
try {
  await client.chat.completions.create(${PARAMS}, { maxRetries: 0, headers: { "x-mock-fault": "status=429" } });
} catch (e) {
  error = e instanceof RateLimitError ? \`RateLimitError \${e.status} \${e.requestId}\` : String(e);
}
const controller = new AbortController();
const slow = await client.chat.completions.create(
  { ...${PARAMS}, stream: true },
  { signal: controller.signal, headers: { "x-mock-fault": "chunk-delay=100" } },
);
let before = "";
let abort = "not aborted";
try {
  for await (const chunk of slow) {
    before += chunk.choices[0]?.delta?.content ?? "";
    if (before !== "") controller.abort();
  }
} catch (e) {
  abort = e instanceof APIUserAbortError ? \`APIUserAbortError after \${JSON.stringify(before)}\` : String(e);
}
const result = { json: reply.choices[0]?.message.content, stream: text, usage, error, abort };
`;

/**
 * A program body that starts the mock server, runs the scenario with a client made from
 * `clientOptions` (an expression that may use `server.url`) and prints the outcome as JSON; the
 * importing lines are the caller's, for its runtime.
 */
export function scenarioProgram(clientOptions = `{ apiKey: "consumer-key", baseUrl: server.url }`): string {
  return `
const server = await createMockServer();
try {
  const client = createClient(${clientOptions});
${SCENARIO}
  console.log(JSON.stringify(result));
} finally {
  await server.close();
}
`;
}

/** The JSON a consumer printed on its last line of output. */
export function printedResult<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as T;
}

/** Checks a consumer's outcome and returns the line the release test prints for it. */
export function checkScenario(name: string, out: ScenarioOutput): string {
  const match = /^APIUserAbortError after (".+")$/.exec(out.abort ?? "");
  const before = match ? (JSON.parse(match[1] as string) as string) : "";
  const problems = [
    out.json === EXPECTED ? "" : "JSON completion",
    out.stream === EXPECTED ? "" : "streamed completion",
    out.usage > 0 ? "" : "usage",
    /^RateLimitError 429 mock-\d+$/.test(out.error ?? "") ? "" : "429 as RateLimitError with its request id",
    before !== "" && before !== EXPECTED && EXPECTED.startsWith(before) ? "" : "abort mid-stream as APIUserAbortError",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${name}: wrong ${problems.join(", ")}: ${JSON.stringify(out)}`);
  return `consumer ${name}: ok (JSON and stream to [DONE]: ${JSON.stringify(out.stream)}, usage ${out.usage} tokens; ${out.error}; ${out.abort})`;
}
