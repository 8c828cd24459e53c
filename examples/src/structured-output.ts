/** Structured output: `response_format` with a JSON schema, and the reply parsed as that shape. */
import type { ResponseFormat } from "@aimlapi-sdk/client";
import { connect } from "./connect";
import { runExample } from "./report";

interface Recipe {
  title: string;
  minutes: number;
  ingredients: string[];
}

const format: ResponseFormat = {
  type: "json_schema",
  json_schema: {
    name: "recipe",
    strict: true,
    schema: {
      type: "object",
      properties: {
        title: { type: "string" },
        minutes: { type: "integer", minimum: 1 },
        ingredients: { type: "array", items: { type: "string" } },
      },
      required: ["title", "minutes", "ingredients"],
      additionalProperties: false,
    },
  },
};

runExample(async () => {
  const { client, close } = await connect();
  try {
    const reply = await client.chat.completions.create({
      model: "openai/gpt-4.1-2025-04-14",
      messages: [{ role: "user", content: "A quick pasta recipe." }],
      response_format: format,
    });
    const recipe = JSON.parse(reply.choices[0]?.message.content ?? "{}") as Recipe;
    console.log(`${recipe.title}: ${recipe.minutes} min, ${recipe.ingredients.length} ingredient(s)`);
  } finally {
    await close();
  }
});
