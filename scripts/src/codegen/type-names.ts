/**
 * The names the generated types carry: openai-node's names for the same shapes of the chat
 * completions wire, so that code written for `openai` finds `ChatCompletion`,
 * `ChatCompletionChunk.Choice.Delta` … and diagnostics print them instead of whole object types.
 * Each name points at a schema of `POST /v1/chat/completions` in the effective document with a
 * selector (see selectors.ts); a selector that matches nothing fails codegen, naming the type.
 * Names with a dot are nested (`ChatCompletion.Choice` is `Choice` in namespace `ChatCompletion`).
 * A shape that appears elsewhere too (the other operation, the chunk's usage, the refusal
 * logprobs …) takes the same name when it is structurally the same.
 */

/** One named shape: the TypeScript name, the selector of its schema, and its doc line (when the spec has none). */
export interface TypeName {
  name: string;
  at: string;
  doc?: string;
}

/** The operation whose schemas the selectors start from. */
export const NAMED_OPERATION = { path: "/v1/chat/completions", method: "post" } as const;

export const TYPE_NAMES: readonly TypeName[] = [
  // The request.
  { name: "ChatCompletionCreateParamsBase", at: "request", doc: "The body of a chat completion request." },
  { name: "ChatCompletionMessageParam", at: "request.messages[]", doc: "A message of the conversation sent with a request." },
  {
    name: "ChatCompletionDeveloperMessageParam",
    at: "request.messages[]|role=developer",
    doc: "Instructions from the developer, which the model follows over the user's.",
  },
  {
    name: "ChatCompletionSystemMessageParam",
    at: "request.messages[]|role=system",
    doc: "Instructions for the model (the older form of a developer message).",
  },
  {
    name: "ChatCompletionUserMessageParam",
    at: "request.messages[]|role=user",
    doc: "A message from the user: text, or parts (text, images, files).",
  },
  {
    name: "ChatCompletionAssistantMessageParam",
    at: "request.messages[]|role=assistant",
    doc: "A reply of the model, sent back as part of the conversation.",
  },
  {
    name: "ChatCompletionToolMessageParam",
    at: "request.messages[]|role=tool",
    doc: "The result of a tool call, sent back to the model.",
  },
  { name: "ChatCompletionContentPart", at: "request.messages[]|role=user.content|array[]", doc: "One part of a user message." },
  {
    name: "ChatCompletionContentPartText",
    at: "request.messages[]|role=user.content|array[]|type=text",
    doc: "A text part of a message.",
  },
  {
    name: "ChatCompletionContentPartImage",
    at: "request.messages[]|role=user.content|array[]|type=image_url",
    doc: "An image part of a user message.",
  },
  {
    name: "ChatCompletionContentPartImage.ImageURL",
    at: "request.messages[]|role=user.content|array[]|type=image_url.image_url",
    doc: "Where the image is (a URL or a data URL), and the detail to see it in.",
  },
  {
    name: "ChatCompletionContentPart.File",
    at: "request.messages[]|role=user.content|array[]|type=file",
    doc: "A file part of a user message.",
  },
  {
    name: "ChatCompletionContentPart.File.File",
    at: "request.messages[]|role=user.content|array[]|type=file.file",
    doc: "The file: its data, id or name.",
  },
  {
    name: "ChatCompletionContentPartRefusal",
    at: "request.messages[]|role=assistant.content|array[]|type=refusal",
    doc: "A refusal part of an assistant message.",
  },
  { name: "ChatCompletionFunctionTool", at: "request.tools[]", doc: "A function the model may call." },
  {
    name: "FunctionDefinition",
    at: "request.tools[].function",
    doc: "A function's name, description and JSON Schema of its arguments.",
  },
  { name: "ChatCompletionToolChoiceOption", at: "request.tool_choice", doc: "Whether and which tool the model must call." },
  { name: "ChatCompletionNamedToolChoice", at: "request.tool_choice|object", doc: "Makes the model call the named function." },
  {
    name: "ChatCompletionNamedToolChoice.Function",
    at: "request.tool_choice|object.function",
    doc: "The function the model must call.",
  },
  { name: "ChatCompletionStreamOptions", at: "request.stream_options", doc: "Options of a streamed request." },
  {
    name: "ChatCompletionPredictionContent",
    at: "request.prediction",
    doc: "Content the reply is predicted to largely repeat, to speed it up.",
  },
  { name: "ResponseFormatText", at: "request.response_format|type=text", doc: "Replies as plain text (the default)." },
  { name: "ResponseFormatJSONObject", at: "request.response_format|type=json_object", doc: "Replies as a JSON object." },
  {
    name: "ResponseFormatJSONSchema",
    at: "request.response_format|type=json_schema",
    doc: "Replies as JSON that follows the given schema.",
  },
  {
    name: "ResponseFormatJSONSchema.JSONSchema",
    at: "request.response_format|type=json_schema.json_schema",
    doc: "The schema replies follow, with its name.",
  },

  // The completion.
  { name: "ChatCompletion", at: "response", doc: "A chat completion: the model's reply to a request." },
  { name: "ChatCompletion.Choice", at: "response.choices[]", doc: "One reply of a completion." },
  { name: "ChatCompletion.Choice.Logprobs", at: "response.choices[].logprobs", doc: "Log probabilities of a reply's tokens." },
  {
    name: "ChatCompletionTokenLogprob",
    at: "response.choices[].logprobs.content[]",
    doc: "A token with its log probability and the likeliest alternatives.",
  },
  {
    name: "ChatCompletionTokenLogprob.TopLogprob",
    at: "response.choices[].logprobs.content[].top_logprobs[]",
    doc: "One of the likeliest tokens at a position, with its log probability.",
  },
  { name: "ChatCompletionMessage", at: "response.choices[].message", doc: "A message the model wrote." },
  {
    name: "ChatCompletionMessage.Annotation",
    at: "response.choices[].message.annotations[]",
    doc: "An annotation of a message, such as a URL citation.",
  },
  {
    name: "ChatCompletionMessage.Annotation.URLCitation",
    at: "response.choices[].message.annotations[].url_citation",
    doc: "A URL the message cites, and where.",
  },
  { name: "ChatCompletionAudio", at: "response.choices[].message.audio", doc: "Audio the model produced." },
  { name: "ChatCompletionMessageToolCall", at: "response.choices[].message.tool_calls[]", doc: "A tool call the model made." },
  {
    name: "ChatCompletionMessageFunctionToolCall",
    at: "response.choices[].message.tool_calls[]|type=function",
    doc: "A call of a function tool.",
  },
  {
    name: "ChatCompletionMessageFunctionToolCall.Function",
    at: "response.choices[].message.tool_calls[]|type=function.function",
    doc: "The function called, and its arguments as JSON text.",
  },
  {
    name: "ChatCompletionMessageCustomToolCall",
    at: "response.choices[].message.tool_calls[]|type=custom",
    doc: "A call of a custom tool.",
  },
  {
    name: "ChatCompletionMessageCustomToolCall.Custom",
    at: "response.choices[].message.tool_calls[]|type=custom.custom",
    doc: "The custom tool called, and its input.",
  },
  { name: "CompletionUsage", at: "response.usage", doc: "Tokens used by a request." },
  {
    name: "CompletionUsage.CompletionTokensDetails",
    at: "response.usage.completion_tokens_details",
    doc: "How the reply's tokens break down.",
  },
  {
    name: "CompletionUsage.PromptTokensDetails",
    at: "response.usage.prompt_tokens_details",
    doc: "How the prompt's tokens break down.",
  },

  // A streamed chunk.
  { name: "ChatCompletionChunk", at: "chunk", doc: "A piece of a streamed chat completion." },
  { name: "ChatCompletionChunk.Choice", at: "chunk.choices[]", doc: "A piece of one reply." },
  { name: "ChatCompletionChunk.Choice.Delta", at: "chunk.choices[].delta", doc: "What a piece adds to a reply's message." },
  {
    name: "ChatCompletionChunk.Choice.Delta.ToolCall",
    at: "chunk.choices[].delta.tool_calls[]",
    doc: "What a piece adds to a tool call (by its index).",
  },
  {
    name: "ChatCompletionChunk.Choice.Delta.ToolCall.Function",
    at: "chunk.choices[].delta.tool_calls[].function",
    doc: "What a piece adds to a function call's name and arguments.",
  },
  {
    name: "ChatCompletionChunk.Choice.Logprobs",
    at: "chunk.choices[].logprobs",
    doc: "Log probabilities of the tokens a piece adds.",
  },
];
