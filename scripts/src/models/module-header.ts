/** The header of the generated models module (codegen writes it; spec:check compares against it). */
export const MODELS_MODULE_HEADER = [
  "/**",
  " * Generated from every model spec pinned in specs/sources.json, models (do not edit; not committed):",
  " * one type per distinct shape, and each model id's request, reply and stream event types.",
  " * Shared overlays and specs/overlays/models/ apply; run `pnpm codegen` after changing them.",
  " */",
  "",
].join("\n");
