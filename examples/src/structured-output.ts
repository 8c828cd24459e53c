/**
 * Structured output: a zod schema becomes the `response_format` (strict JSON schema), and `parse()`
 * gives the reply as that schema's type, validated; `.stream()` gives the object as it is written
 * (`content.delta`), then validated.
 */
import { jsonSchemaFormat } from "@aimlapi-sdk/client";
import { z } from "zod";
import { connect } from "./connect";
import { runExample } from "./report";

const Recipe = z.object({
  title: z.string(),
  minutes: z.number().int().min(1),
  ingredients: z.array(z.string()),
  note: z.string().optional(),
});

const params = {
  model: "openai/gpt-4.1-2025-04-14" as const,
  messages: [{ role: "user" as const, content: "A quick pasta recipe." }],
  response_format: jsonSchemaFormat(Recipe, { name: "recipe", description: "A recipe with its ingredients" }),
};

runExample(async () => {
  const { client, close } = await connect();
  try {
    const reply = await client.chat.completions.parse(params);
    const recipe = reply.choices[0]?.message.parsed;
    // parsed is null when the model refused; `refusal` then says why.
    if (!recipe) throw new Error(`refused: ${reply.choices[0]?.message.refusal}`);
    console.log(`${recipe.title}: ${recipe.minutes} min, ${recipe.ingredients.length} ingredient(s)`);

    // Streamed: the object grows as the model writes it.
    let snapshots = 0;
    const stream = client.chat.completions.stream(params).on("content.delta", ({ parsed }) => {
      if (parsed) snapshots++;
    });
    const final = (await stream.finalChatCompletion()).choices[0]?.message.parsed;
    console.log(`streamed: ${snapshots} snapshots, then "${final?.title}"`);
  } finally {
    await close();
  }
});
