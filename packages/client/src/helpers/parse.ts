/**
 * `parse()`: a completion whose messages carry `parsed`, the schema's output — or, streamed, snapshots
 * of the object parsed so far (partial-json: a maintained parser for JSON cut short) ending with the
 * validated completion.
 */
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
} from "@aimlapi-sdk/types";
import { type AccumulatedChatCompletion, ChatCompletionAccumulator } from "../accumulate";
import { type APIPromise, toAPIPromise } from "../api-promise";
import type { RequestOptions } from "../options";
import type { Stream } from "../streaming";
import type { FormatHelpers, HelperContext } from "./carrier";
import { ContentFilterFinishReasonError, LengthFinishReasonError, OutputParseError } from "./errors";
import { describeIssues, type PreparedSchema } from "./schema";

/** A reply message with the schema's output: `parsed` is null when the model refused (`refusal` says why) or called tools. */
export type ParsedChatCompletionMessage<T> = ChatCompletionMessage & { parsed: T | null };

/** A choice whose message is parsed. */
export type ParsedChatCompletionChoice<T> = Omit<ChatCompletionChoice, "message"> & { message: ParsedChatCompletionMessage<T> };

/** A completion whose messages are parsed. */
export type ParsedChatCompletion<T> = Omit<ChatCompletion, "choices"> & { choices: ParsedChatCompletionChoice<T>[] };

/** The completion a parsed stream adds up to (`usage` only when the request asked for it). */
export type ParsedStreamedCompletion<T> = Omit<AccumulatedChatCompletion, "choices"> & {
  choices: ParsedChatCompletionChoice<T>[];
};

/** Every property optional, all the way down: an object still being written. */
export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What a parsed stream yields per chunk. */
export interface ParseSnapshot<T> {
  /** The chunk just received. */
  chunk: ChatCompletionChunk;
  /** The text of the first choice so far. */
  content: string;
  /** The object parsed from that text so far (not validated yet); undefined before any content. */
  partial: DeepPartial<T> | undefined;
}

/** The implementation a format from `jsonSchemaFormat()` carries. */
export function parseWith<T>(prepared: PreparedSchema<T>, name: string): FormatHelpers["parse"] {
  return ({ create }: HelperContext, params: ChatCompletionCreateParams, options?: RequestOptions): APIPromise<unknown> => {
    const sent = create(params, options).withResponse();
    return toAPIPromise(
      sent.then(async ({ data, response, requestId }) => ({
        data:
          params.stream === true
            ? new ChatCompletionParseStream<T>(data as Stream<ChatCompletionChunk>, prepared, name)
            : await parseCompletion(data as ChatCompletion, prepared, name),
        response,
        requestId,
      })),
    );
  };
}

/** Checks how each choice ended and parses its content against the schema. */
export async function parseCompletion<C extends ChatCompletion | AccumulatedChatCompletion, T>(
  completion: C,
  prepared: PreparedSchema<T>,
  name: string,
): Promise<Omit<C, "choices"> & { choices: ParsedChatCompletionChoice<T>[] }> {
  const choices = await Promise.all(
    completion.choices.map(async (choice) => {
      if (choice.finish_reason === "length") throw new LengthFinishReasonError();
      if (choice.finish_reason === "content_filter") throw new ContentFilterFinishReasonError();
      const { content, refusal } = choice.message;
      const parsed = content === null || refusal ? null : await parseContent(content, prepared, name);
      return { ...choice, message: { ...choice.message, parsed } };
    }),
  );
  return { ...completion, choices };
}

/** The text of a reply as the schema's output, or an OutputParseError with the issues and the text. */
async function parseContent<T>(text: string, prepared: PreparedSchema<T>, name: string): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new OutputParseError(`The response for "${name}" is not valid JSON: ${message}`, [{ message }], text, { cause: error });
  }
  const checked = await prepared.check(value);
  if (checked.issues) {
    throw new OutputParseError(
      `The response does not match the schema "${name}": ${describeIssues(checked.issues)}`,
      checked.issues,
      text,
    );
  }
  return checked.value;
}

/**
 * A streamed `parse()`: iterate it for snapshots of the object as it is written, then
 * `finalCompletion()` for the validated result (it reads whatever is left first).
 */
export class ChatCompletionParseStream<T> implements AsyncIterable<ParseSnapshot<T>> {
  /** The HTTP response the stream is read from. */
  readonly response: Response;
  readonly #stream: Stream<ChatCompletionChunk>;
  readonly #prepared: PreparedSchema<T>;
  readonly #name: string;
  readonly #accumulator = new ChatCompletionAccumulator();
  #content = "";
  #iterated = false;
  #ended = false;

  constructor(stream: Stream<ChatCompletionChunk>, prepared: PreparedSchema<T>, name: string) {
    this.#stream = stream;
    this.response = stream.response;
    this.#prepared = prepared;
    this.#name = name;
  }

  /** Yields a snapshot per chunk; can be iterated once. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ParseSnapshot<T>> {
    if (this.#iterated) throw new Error("This stream has already been iterated.");
    this.#iterated = true;
    let partial: DeepPartial<T> | undefined;
    const parsePartial = await partialParser();
    for await (const chunk of this.#stream) {
      this.#accumulator.add(chunk);
      const text = chunk.choices.find((c) => c.index === 0)?.delta?.content;
      if (text) {
        this.#content += text;
        partial = (parsePartial(this.#content) as DeepPartial<T> | undefined) ?? partial;
      }
      yield { chunk, content: this.#content, partial };
    }
    this.#ended = true;
  }

  /** The whole completion, parsed and validated (throws like `parse()` does). */
  async finalCompletion(): Promise<ParsedStreamedCompletion<T>> {
    if (!this.#iterated) for await (const _ of this);
    if (!this.#ended)
      throw new Error("finalCompletion() was called while the stream is still being iterated or after it was abandoned.");
    return parseCompletion(this.#accumulator.result(), this.#prepared, this.#name);
  }

  /** Closes the connection. */
  abort(): void {
    this.#stream.abort();
  }
}

let loaded: Promise<(text: string) => unknown> | undefined;

/**
 * The parser of JSON cut short (partial-json), loaded on first use: imported dynamically, so an app
 * that never streams a parse does not bundle it.
 */
function partialParser(): Promise<(text: string) => unknown> {
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
