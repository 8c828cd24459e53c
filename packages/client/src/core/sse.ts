/**
 * Server-sent-events framing (WHATWG HTML, "Interpreting an event stream"), for what this API sends:
 * `data:` lines joined by "\n" and an optional `event:` name, dispatched at a blank line; `id:`,
 * `retry:`, comments and unknown fields are ignored; lines end with LF, CRLF or CR, possibly split
 * across chunks; a leading BOM is dropped; an event not closed by a blank line before the end of
 * the stream is discarded, as the spec says.
 *
 * Why not eventsource-parser (which this package used before): it is 1.4 kB of a create-and-stream
 * app's 8 kB gzip budget, mostly for what this API never sends (retry, ids, comment callbacks,
 * buffer limits, error reporting). This module is tested against eventsource-parser as the reference,
 * on every chunk boundary of recorded and generated streams (test/sse.test.ts).
 */

/** One dispatched event. */
export interface SSEEvent {
  event: string | undefined;
  data: string;
}

/** Incremental parser: feed decoded text as it arrives. */
export interface SSEParser {
  feed(text: string): void;
}

/** Creates a parser that calls `onEvent` for every complete event. */
export function createSSEParser(onEvent: (event: SSEEvent) => void): SSEParser {
  // The unfinished last line of the previous chunk, and whether it ended in a CR (a CRLF may be split).
  let pending = "";
  let afterCR = false;
  let first = true;
  let data: string | undefined;
  let event: string | undefined;

  const line = (text: string) => {
    // The common case first: a `data:` line.
    if (text.startsWith("data:")) {
      const value = text.slice(text.charCodeAt(5) === 32 ? 6 : 5);
      data = data === undefined ? value : `${data}\n${value}`;
      return;
    }
    if (text === "") {
      if (data !== undefined) onEvent({ event, data });
      data = event = undefined;
      return;
    }
    const colon = text.indexOf(":");
    // A field name with no colon has an empty value; one space after the colon is not part of it.
    const name = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? "" : text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (name === "data") data = data === undefined ? value : `${data}\n${value}`;
    else if (name === "event") event = value || undefined;
  };

  return {
    feed(chunk) {
      let text = chunk;
      if (first && text) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CR that ended the last chunk already ended its line: a LF right after it is the same break.
      if (afterCR && text.charCodeAt(0) === 10) text = text.slice(1);
      afterCR = false;
      text = pending + text;
      if (text.includes("\r")) {
        afterCR = text.endsWith("\r");
        text = text.replace(/\r\n?/g, "\n");
      }
      let start = 0;
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
        line(text.slice(start, end));
        start = end + 1;
      }
      pending = text.slice(start);
    },
  };
}
