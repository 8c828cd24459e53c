/**
 * Every kind of tool `runTools()` takes, made one: its name, the definition the request carries,
 * and how a call of it is answered. openai-node's `RunnableToolFunction` and `zodFunction()` tools
 * behave as in openai-node (arguments that do not parse go back to the model; a function that
 * throws ends the run); a `defineTool()` tool also sends its function's error back to the model.
 */
import type { ChatCompletionFunctionTool, ChatCompletionMessageFunctionToolCall } from "@aimlapi-sdk/types";
import { AIMLAPIError } from "../core/errors";
import { describeIssues } from "./errors";
import { implementationOf } from "./parseable";

/** openai-node's runnable function, as far as the run needs to know it (runnable-function.ts has its full type). */
interface RunnableFunctionShape {
  function: (...args: never[]) => unknown;
  parse?: (input: string) => unknown;
  name?: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
}

/** A tool of a run. */
export interface RunnerTool {
  name: string;
  /** What the request says about it. */
  definition: ChatCompletionFunctionTool;
  /** Answers a call: the text that goes back to the model. */
  run(call: ChatCompletionMessageFunctionToolCall, signal: AbortSignal): Promise<string>;
}

/** Makes the run's tools; a tool with nothing to run is refused, naming it. */
export function toRunnerTools(tools: readonly unknown[], runner: unknown, toolContext: unknown): RunnerTool[] {
  return tools.map((tool) => {
    const t = tool as { type?: string; function?: RunnableFunctionShape };
    const fn = t.function;
    const implementation = implementationOf(tool);
    if (implementation) {
      const definition = tool as ChatCompletionFunctionTool;
      const name = definition.function.name;
      const { run, replyWithErrors } = implementation;
      if (!run) throw new AIMLAPIError(`runTools(): the tool "${name}" has no function to run (give zodFunction a \`function\`)`);
      return {
        name,
        definition: { type: "function", function: { ...definition.function } },
        async run(call, signal) {
          const checked = await implementation.check(call.function.arguments);
          if (checked.issues) return `Error: invalid arguments for ${name}: ${describeIssues(checked.issues)}`;
          try {
            return stringify(await run(checked.value, { signal, call }));
          } catch (error) {
            if (!replyWithErrors || signal.aborted) throw error;
            return `Error: ${(error as Error)?.message ?? String(error)}`;
          }
        },
      };
    }
    if (t.type === "function" && typeof fn?.function === "function") {
      const name = fn.name || fn.function.name;
      const { parameters, description, strict } = fn;
      return {
        name,
        definition: {
          type: "function",
          function: { name, parameters, description, ...(strict === undefined ? {} : { strict }) },
        },
        async run(call) {
          let args: unknown = call.function.arguments;
          if ("parse" in fn && typeof fn.parse === "function") {
            try {
              args = await fn.parse(call.function.arguments);
            } catch (error) {
              return error instanceof Error ? error.message : String(error);
            }
          }
          return stringify(await (fn.function as (a: unknown, r: unknown, c: unknown) => unknown)(args, runner, toolContext));
        },
      };
    }
    const name =
      t.function && typeof (t.function as { name?: unknown }).name === "string" ? (t.function as { name: string }).name : "?";
    throw new AIMLAPIError(
      `runTools(): the tool "${name}" has no function to run; use defineTool(), zodFunction() or { type: "function", function: { function, parameters, … } }`,
    );
  });
}

/** What goes back to the model: a string as it is, anything else as JSON. */
function stringify(result: unknown): string {
  return typeof result === "string" ? result : JSON.stringify(result ?? null);
}
