import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Imports one of our packages' ESM build from a consumer's node_modules (into this Node process). */
export function importInstalled<T>(dir: string, name: "client" | "mock-server"): Promise<T> {
  return import(pathToFileURL(join(dir, "node_modules", "@aimlapi-sdk", name, "dist", "index.mjs")).href) as Promise<T>;
}
