/**
 * Parsing a completion the way `parse()`, `.stream()` and the runners give it: each message gets
 * `parsed` (the response format's output, validated, or null when the model refused or called
 * tools), and each function call of a parseable tool gets `parsed_arguments`. Partial JSON (an
 * object still being written) is parsed with partial-json, loaded on first use.
 */
import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionMessageCustomToolCall,
  ChatCompletionMessageFunctionToolCall,
} from "@aimlapi-sdk/types";
import type { AccumulatedChatCompletion } from "./accumulate";
import { ContentFilterFinishReasonError, describeIssues, LengthFinishReasonError, OutputParseError } from "./errors";
import { implementationOf, parserOf } from "./parseable";

/** A function's call with its arguments parsed (when the tool is parseable), as openai-node names it. */
export interface ParsedFunction extends ChatCompletionMessageFunctionToolCall.Function {
  parsed_arguments?: unknown;
}

/** A function tool call with parsed arguments. */
export interface ParsedFunctionToolCall extends ChatCompletionMessageFunctionToolCall {
  function: ParsedFunction;
}

/** A tool call of a parsed message: a function call with parsed arguments, or a custom call. */
export type ParsedChatCompletionMessageToolCall = ParsedFunctionToolCall | ChatCompletionMessageCustomToolCall;

/** A reply message with the schema's output: `parsed` is null when the model refused (`refusal` says why) or called tools. */
export interface ParsedChatCompletionMessage<ParsedT> extends ChatCompletionMessage {
  parsed: ParsedT | null;
  tool_calls?: ParsedChatCompletionMessageToolCall[] | null;
}

/** A choice whose message is parsed. */
export interface ParsedChoice<ParsedT> extends ChatCompletion.Choice {
  message: ParsedChatCompletionMessage<ParsedT>;
}

/** A completion whose messages are parsed. */
export interface ParsedChatCompletion<ParsedT> extends Omit<ChatCompletion, "choices"> {
  choices: ParsedChoice<ParsedT>[];
}

/** A completion rebuilt from a stream, parsed (`usage` only when the stream carried it). */
export interface ParsedStreamedChatCompletion<ParsedT> extends Omit<AccumulatedChatCompletion, "choices"> {
  choices: ParsedChoice<ParsedT>[];
}

/** What a request says about parsing: its response format and its tools. */
export interface ParseRequest {
  response_format?: unknown;
  tools?: readonly unknown[] | undefined;
}

/**
 * Checks how each choice ended (out of tokens and filtered replies cannot be parsed) and parses its
 * content and its parseable tool calls' arguments.
 */
export async function parseChatCompletion<C extends ChatCompletion | AccumulatedChatCompletion, ParsedT>(
  completion: C,
  request: ParseRequest,
  /** Leave tool calls whose arguments do not validate unparsed instead of failing (a tool run answers them). */
  lenientTools = false,
): Promise<Omit<C, "choices"> & { choices: ParsedChoice<ParsedT>[] }> {
  const parse = parserOf(request.response_format);
  const choices = await Promise.all(
    completion.choices.map(async (choice) => {
      if (choice.finish_reason === "length") throw new LengthFinishReasonError();
      if (choice.finish_reason === "content_filter") throw new ContentFilterFinishReasonError();
      const { content, refusal } = choice.message;
      const parsed = parse && content !== null && !refusal ? ((await parse(content)) as ParsedT) : null;
      const message: ParsedChatCompletionMessage<ParsedT> = { ...choice.message, parsed };
      if (choice.message.tool_calls)
        message.tool_calls = await Promise.all(
          choice.message.tool_calls.map((call) =>
            parseToolCall(call, request.tools).catch((error: unknown) => {
              if (lenientTools && error instanceof OutputParseError) return call;
              throw error;
            }),
          ),
        );
      return { ...choice, message };
    }),
  );
  return { ...completion, choices };
}

/** A function call with `parsed_arguments` when its tool is parseable (made by a helper, or `strict`). */
async function parseToolCall(
  call: ChatCompletionMessageFunctionToolCall | ChatCompletionMessageCustomToolCall,
  tools: readonly unknown[] | undefined,
): Promise<ParsedChatCompletionMessageToolCall> {
  if (call.type !== "function") return call;
  const tool = findTool(tools, call.function.name);
  const parsed = await parseArguments(tool, call.function.name, call.function.arguments);
  return parsed === undefined ? call : { ...call, function: { ...call.function, parsed_arguments: parsed.value } };
}

/** The request's function tool of that name. */
export function findTool(tools: readonly unknown[] | undefined, name: string): unknown {
  return tools?.find((t) => (t as { function?: { name?: string } }).function?.name === name);
}

/**
 * The arguments of a call of `tool`, parsed: validated by the tool's schema when a helper made it,
 * JSON-parsed when it is `strict`; undefined when the tool is neither. Invalid arguments throw
 * OutputParseError.
 */
export async function parseArguments(tool: unknown, name: string, text: string): Promise<{ value: unknown } | undefined> {
  const implementation = implementationOf(tool);
  if (implementation) {
    const checked = await implementation.check(text);
    if (checked.issues)
      throw new OutputParseError(
        `The arguments of ${name} do not match its schema: ${describeIssues(checked.issues)}`,
        checked.issues,
        text,
      );
    return { value: checked.value };
  }
  if ((tool as { function?: { strict?: boolean | null } } | undefined)?.function?.strict !== true) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    throw new OutputParseError(`The arguments of ${name} are not valid JSON: ${message}`, [{ message }], text, { cause: error });
  }
}

let loaded: Promise<(text: string) => unknown> | undefined;

/**
 * The parser of JSON cut short (partial-json, a maintained parser for exactly that), loaded on first
 * use: imported dynamically, so an app that never streams structured output does not bundle it.
 */
export function partialParser(): Promise<(text: string) => unknown> {
  loaded ??= import("partial-json").then(({ Allow, parse }) => (text: string) => {
    try {
      return parse(text, Allow.ALL);
    } catch {
      // Nothing usable yet (an empty or unparsable start).
      return undefined;
    }
  });
  return loaded;
}
