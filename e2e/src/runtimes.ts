/** Every runtime the release test proves the published packages on, in the order it runs them. */
import { BROWSER_CONSUMER } from "./browser";
import { BUN_CONSUMER } from "./bun";
import { DENO_CONSUMER } from "./deno";
import { NODE_CONSUMERS } from "./node-consumers";
import type { RuntimeConsumer } from "./runtime-consumer";
import { WORKERD_CONSUMER } from "./workerd";

export const RUNTIME_CONSUMERS: RuntimeConsumer[] = [
  ...NODE_CONSUMERS,
  BROWSER_CONSUMER,
  BUN_CONSUMER,
  DENO_CONSUMER,
  WORKERD_CONSUMER,
];
