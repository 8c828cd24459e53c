/**
 * openai-node's names for shapes the pinned gpt-4.1 spec does not have, so that code which names
 * them still compiles after a port. Other AI/ML API models accept these fields (their own specs
 * document `audio`, `modalities`, `reasoning_effort`, allowed and custom tools, audio input), in
 * OpenAI's wire format, which is what these describe. The gpt-4.1 request type has no field that
 * takes them: passing one to it is a compile error, as the API would refuse it.
 *
 * Not here, on purpose: the stored-completions endpoints (`list`, `retrieve`, `update`, `delete`,
 * `messages`) and the legacy `functions` API, which the AI/ML API does not serve.
 */

/** Output types a model can produce. */
export type ChatCompletionModality = "text" | "audio";

/** How much a reasoning model thinks before it answers. */
export type ChatCompletionReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | null;

/** Audio output parameters (`audio`), for models with audio output. */
export interface ChatCompletionAudioParam {
  /** The output audio format. */
  format: "wav" | "aac" | "mp3" | "flac" | "opus" | "pcm16";
  /** The voice the model speaks with. */
  voice: string;
}

/** An audio input part of a user message. */
export interface ChatCompletionContentPartInputAudio {
  input_audio: ChatCompletionContentPartInputAudio.InputAudio;
  type: "input_audio";
}

export declare namespace ChatCompletionContentPartInputAudio {
  /** The audio, base64-encoded, and its format. */
  export interface InputAudio {
    data: string;
    format: "wav" | "mp3";
  }
}

/** A custom tool: free-form input instead of JSON arguments. */
export interface ChatCompletionCustomTool {
  custom: ChatCompletionCustomTool.Custom;
  type: "custom";
}

export declare namespace ChatCompletionCustomTool {
  /** The custom tool's definition. */
  export interface Custom {
    name: string;
    description?: string;
    /** Free text, or a grammar the input must follow. */
    format?: { type: "text" } | { type: "grammar"; grammar: { definition: string; syntax: "lark" | "regex" } };
  }
}

/** The set of tools the model may use, and whether it must use one. */
export interface ChatCompletionAllowedTools {
  mode: "auto" | "required";
  tools: Array<{ [key: string]: unknown }>;
}

/** A tool choice that limits the model to a set of tools. */
export interface ChatCompletionAllowedToolChoice {
  allowed_tools: ChatCompletionAllowedTools;
  type: "allowed_tools";
}

/** A tool choice that names a custom tool. */
export interface ChatCompletionNamedToolChoiceCustom {
  custom: ChatCompletionNamedToolChoiceCustom.Custom;
  type: "custom";
}

export declare namespace ChatCompletionNamedToolChoiceCustom {
  /** The custom tool to call. */
  export interface Custom {
    name: string;
  }
}
