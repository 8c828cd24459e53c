/**
 * Tool calling with `runTools()`: the tool's arguments are typed and validated by its zod schema;
 * the runner asks, runs the tool, sends the result back and returns the model's answer. Its events
 * (openai's) tell what happens in each round.
 */
import { type AbstractChatCompletionRunner, type AbstractChatCompletionRunnerEvents, defineTool } from "@aimlapi-sdk/client";
import { z } from "zod";
import { connect } from "./connect";
import { runExample } from "./report";

const getWeather = defineTool({
  name: "get_weather",
  description: "Current weather for a city",
  parameters: z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]).optional() }),
  // `city` and `unit` are typed from the schema, and checked before this runs.
  execute: async ({ city, unit = "celsius" }) => ({ city, unit, temperature: unit === "celsius" ? 21 : 70 }),
});

/** Prints what happens in each round, from the events every runner has (streamed or not). */
function narrate<R extends AbstractChatCompletionRunner<AbstractChatCompletionRunnerEvents, null>>(runner: R): R {
  let round = 0;
  runner
    .on("chatCompletion", () => round++)
    .on("functionToolCall", (call) => console.log(`round ${round}: the model calls ${call.name}(${call.arguments})`))
    .on("functionToolCallResult", (result) => console.log(`round ${round}: ${result}`));
  return runner;
}

runExample(async () => {
  const { client, close } = await connect();
  try {
    const request = {
      model: "openai/gpt-4.1-2025-04-14",
      messages: [{ role: "user" as const, content: "What's the weather in Lisbon?" }],
      tools: [getWeather],
    };
    const runner =
      process.env.AIMLAPI_EXAMPLE_STREAM === "1"
        ? narrate(client.chat.completions.runTools({ ...request, stream: true }))
        : narrate(client.chat.completions.runTools(request));
    console.log(`answer: ${await runner.finalContent()}`);
    console.log(`${runner.messages.length} messages, ${(await runner.totalUsage()).total_tokens} tokens`);
  } finally {
    await close();
  }
});
