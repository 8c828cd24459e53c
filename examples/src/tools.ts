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
    const first = await accumulateChatCompletion(stream);
    // Function calls only: the request side of the spec has no "custom" tool calls.
    const calls = (first.choices[0]?.message.tool_calls ?? []).filter((c) => c.type === "function");
    console.log(`finish_reason: ${first.choices[0]?.finish_reason}; tool calls: ${calls.length}`);
    messages.push({ role: "assistant", content: "", tool_calls: calls });
    for (const call of calls) {
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
