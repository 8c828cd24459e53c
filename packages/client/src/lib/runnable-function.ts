/**
 * openai-node's shapes of a tool `runTools()` can run: `{ type: "function", function: { function,
 * parse?, parameters, description, name? } }`, the function getting the parsed arguments, the
 * runner and the run's `toolContext`. Tools from `defineTool()` and `zodFunction()` run too.
 */
import type { ChatCompletionRunner, ChatCompletionStreamingRunner } from "./chat-completion-runner";

type PromiseOrValue<T> = T | Promise<T>;

/** A JSON Schema object (the function's parameters). */
export type JSONSchema = Record<string, unknown>;

/** A function whose arguments are parsed by `parse` before it gets them. */
export interface RunnableFunctionWithParse<Args extends object, ToolContext = unknown> {
  /** Runs with the parsed arguments; what it returns goes back to the model (as JSON unless a string). */
  function: (
    args: Args,
    runner: ChatCompletionRunner<unknown> | ChatCompletionStreamingRunner<unknown>,
    toolContext: ToolContext,
  ) => PromiseOrValue<unknown>;
  /** Turns the model's JSON text into the arguments (throw to send the error back to the model). */
  parse: (input: string) => PromiseOrValue<Args>;
  /** The parameters, as JSON Schema (the AI/ML API requires them). */
  parameters: JSONSchema;
  /** What the function does; the model reads it. */
  description: string;
  /** The name the model calls it by; default the function's own name. */
  name?: string | undefined;
  /** Structured-outputs strict mode for the arguments. */
  strict?: boolean | undefined;
}

/** A function that gets the model's arguments as JSON text. */
export interface RunnableFunctionWithoutParse<ToolContext = unknown> {
  /** Runs with the arguments' JSON text; what it returns goes back to the model (as JSON unless a string). */
  function: (
    args: string,
    runner: ChatCompletionRunner<unknown> | ChatCompletionStreamingRunner<unknown>,
    toolContext: ToolContext,
  ) => PromiseOrValue<unknown>;
  /** The parameters, as JSON Schema (the AI/ML API requires them). */
  parameters: JSONSchema;
  /** What the function does; the model reads it. */
  description: string;
  /** The name the model calls it by; default the function's own name. */
  name?: string | undefined;
  /** Structured-outputs strict mode for the arguments. */
  strict?: boolean | undefined;
}

/** A runnable function: parsed arguments of type `Args`, or the JSON text when `Args` is `string`. */
export type RunnableFunction<Args extends object | string, ToolContext = unknown> = Args extends string
  ? RunnableFunctionWithoutParse<ToolContext>
  : Args extends object
    ? RunnableFunctionWithParse<Args, ToolContext>
    : never;

/** A function tool that gets the arguments' JSON text. */
export interface RunnableToolFunctionWithoutParse<ToolContext = unknown> {
  type: "function";
  function: RunnableFunctionWithoutParse<ToolContext>;
}

/** A function tool whose arguments are parsed. */
export interface RunnableToolFunctionWithParse<Args extends object, ToolContext = unknown> {
  type: "function";
  function: RunnableFunctionWithParse<Args, ToolContext>;
}

/** A function tool `runTools()` can run (openai-node's `RunnableToolFunction`). */
export type RunnableToolFunction<Args extends object | string, ToolContext = unknown> = Args extends string
  ? RunnableToolFunctionWithoutParse<ToolContext>
  : Args extends object
    ? RunnableToolFunctionWithParse<Args, ToolContext>
    : never;

/** The argument types of a list of runnable functions. */
export type BaseFunctionsArgs = readonly (object | string)[];

/** Runnable function tools (openai-node's `RunnableTools`). */
export type RunnableTools<
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type can share one run
  _FunctionsArgs extends BaseFunctionsArgs = any[],
  ToolContext = unknown,
> = readonly RunnableToolFunction<
  // biome-ignore lint/suspicious/noExplicitAny: as above
  any,
  ToolContext
>[];

/** A tool whose `function` gets what `parse` returns, with the two typed together. */
export class ParsingToolFunction<Args extends object, ToolContext = unknown> {
  readonly type = "function";
  function: RunnableFunctionWithParse<Args, ToolContext>;

  constructor(input: RunnableFunctionWithParse<Args, ToolContext>) {
    this.function = input;
  }
}
