/**
 * Tool calling with a stream: the tool-call fragments are accumulated into whole calls, the tool
 * runs locally, and its result goes back for the final answer.
 */
import { accumulateChatCompletion, type ChatCompletionMessageParam, type ChatCompletionTool } from "@aimlapi-sdk/client";
import { connect } from "./connect";
import { runExample } from "./report";

const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

/** The local implementation of the tool. */
function getWeather(args: { city?: string }): { city: string; celsius: number } {
  return { city: args.city ?? "unknown", celsius: 21 };
}

runExample(async () => {
  const { client, close } = await connect();
  try {
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "What's the weather in Lisbon?" }];
    const stream = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages, tools, stream: true });
    const first = (await accumulateChatCompletion(stream)).choices[0];
    if (!first) throw new Error("the reply has no choice");
    const calls = first.message.tool_calls ?? [];
    console.log(`finish_reason: ${first.finish_reason}; tool calls: ${calls.length}`);
    // The assistant's turn goes back as it came (content: null, tool_calls), then one answer per call.
    messages.push(first.message);
    for (const call of calls) {
      if (call.type !== "function") continue;
      const result = getWeather(JSON.parse(call.function.arguments) as { city?: string });
      console.log(`called ${call.function.name}(${call.function.arguments}) → ${JSON.stringify(result)}`);
      messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
    }
    const answer = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages, tools });
    console.log(`answer: ${answer.choices[0]?.message.content}`);
  } finally {
    await close();
  }
});
