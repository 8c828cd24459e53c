/** Abort: Ctrl-C (or a deadline) stops a stream at once and closes the connection. */
import { APIUserAbortError } from "@aimlapi-sdk/client";
import { connect } from "./connect";
import { runExample } from "./report";

runExample(async () => {
  const { client, close } = await connect();
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  // Also stop by itself after AIMLAPI_ABORT_AFTER_MS (default 30 s), so it never hangs.
  const deadline = setTimeout(() => controller.abort(), Number(process.env.AIMLAPI_ABORT_AFTER_MS ?? 30_000));
  let received = 0;
  try {
    const stream = await client.chat.completions.create(
      { model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Count slowly to one hundred." }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      received++;
      process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
    }
    console.log(`\ncompleted after ${received} chunks`);
  } catch (error) {
    if (!(error instanceof APIUserAbortError)) throw error;
    console.log(`\naborted after ${received} chunks`);
  } finally {
    clearTimeout(deadline);
    await close();
  }
});
