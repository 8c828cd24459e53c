/**
 * The browser consumer's page: runs the scenario against the mock server named by `?api=`, from
 * another origin, and leaves the outcome (and its own origin) in `window.result`.
 */
import { createClient } from "@aimlapi-sdk/client";
import { runScenario, type ScenarioOutput } from "./scenario.ts";

declare global {
  interface Window {
    result: Promise<ScenarioOutput & { origin: string }>;
  }
}

const api = new URLSearchParams(location.search).get("api") ?? "";
window.result = (async () => {
  const result = await runScenario(createClient({ apiKey: "browser-key", baseUrl: api }));
  document.body.textContent = result.stream;
  return { ...result, origin: location.origin };
})();
