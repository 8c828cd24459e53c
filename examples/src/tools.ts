/**
 * Tool calling with `runTools()`: the tool's arguments are typed and validated by its zod schema;
 * the runner asks, runs the tool, sends the result back and returns the model's answer.
 */
import { defineTool } from "@aimlapi-sdk/client";
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

runExample(async () => {
  const { client, close } = await connect();
  try {
    const runner = client.chat.completions.runTools({
      model: "openai/gpt-4.1-2025-04-14",
      messages: [{ role: "user", content: "What's the weather in Lisbon?" }],
      tools: [getWeather],
      stream: process.env.AIMLAPI_EXAMPLE_STREAM === "1",
    });
    for await (const step of runner) {
      if (step.type === "message" && step.message.tool_calls?.length) {
        const calls = step.message.tool_calls.map((c) =>
          c.type === "function" ? `${c.function.name}(${c.function.arguments})` : c.custom.name,
        );
        console.log(`round ${step.round}: the model calls ${calls.join(", ")}`);
      }
      if (step.type === "tool") console.log(`round ${step.round}: ${step.content}`);
    }
    console.log(`answer: ${await runner.finalContent()}`);
    console.log(`${runner.messages.length} messages, ${runner.totalUsage.total_tokens} tokens`);
  } finally {
    await close();
  }
});
