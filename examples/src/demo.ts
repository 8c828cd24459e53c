/**
 * `pnpm demo "your question"`: streams GPT-4.1's answer token by token, then a usage line.
 * With AIML_API_KEY it asks the real API; without, a local mock server (said in one line).
 * Ctrl-C stops the stream cleanly.
 */
import { APIUserAbortError, type CompletionUsage } from "@aimlapi-sdk/client";
import { connect } from "./connect";
import { runExample } from "./report";
import { startSpinner } from "./spinner";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`usage: pnpm demo ["your question"]

Streams GPT-4.1's answer token by token, then a usage line. With AIML_API_KEY set it asks the real
API (AIML_API_BASE to change its address); without, a local mock server. Ctrl-C stops cleanly.`);
  process.exit(0);
}

runExample(async () => {
  const question = process.argv.slice(2).join(" ").trim() || "Explain in two sentences what an SDK is.";
  const { client, target, usingMock, close } = await connect();
  if (usingMock) console.error(`No AIML_API_KEY set: answering from a local mock server at ${target}.`);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const stopSpinner = startSpinner("thinking…");
  let spinning = true;
  let usage: CompletionUsage | undefined;
  let usd: number | undefined;
  let printed = false;
  try {
    const stream = await client.chat.completions.create(
      {
        model: "openai/gpt-4.1-2025-04-14",
        messages: [{ role: "user", content: question }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content ?? "";
      if (text && spinning) {
        stopSpinner();
        spinning = false;
      }
      process.stdout.write(text);
      printed ||= text !== "";
      if (chunk.usage) usage = chunk.usage;
      // The live API may add its billing details to the last chunk; the spec does not promise them.
      const meta = (chunk as { meta?: { usage?: { usd_spent?: number } } }).meta;
      if (typeof meta?.usage?.usd_spent === "number") usd = meta.usage.usd_spent;
    }
    process.stdout.write("\n");
    if (usage) {
      const cost = usd === undefined ? "" : `, $${usd.toFixed(6)}`;
      console.error(
        `— ${usage.total_tokens} tokens (${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion)${cost}`,
      );
    }
  } catch (error) {
    // End the partial answer's line, so the error stands on its own.
    if (printed) process.stdout.write("\n");
    if (error instanceof APIUserAbortError) {
      console.error("— stopped (Ctrl-C)");
      process.exitCode = 130;
      return;
    }
    throw error;
  } finally {
    if (spinning) stopSpinner();
    process.off("SIGINT", onSigint);
    await close();
  }
});
