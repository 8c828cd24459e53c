/**
 * Every AIML chat model the mock serves, each checked against its own effective spec: a table
 * generated from the pinned model set (ids, provider, spec file, shape names, and the distinct
 * shapes). Validators are compiled once per distinct shape, the first time a model of it is called.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import table from "./generated/models.json" with { type: "json" };
import { toJsonSchema } from "./openapi-schema";
import { describeValidationErrors } from "./operations";

/** One model of the table. */
export interface ModelInfo {
  id: string;
  provider: string;
  /** Its spec file in upstream's api-docs folder. */
  file: string;
  request: string;
  completion?: string;
  chunk?: string;
}

/** The generated table's form. */
interface ModelTable {
  models: Record<string, Omit<ModelInfo, "id">>;
  schemas: Record<string, { properties?: Record<string, unknown> }>;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** The models and their validators. */
export class ModelCatalog {
  private readonly table: ModelTable;
  private readonly ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(source: ModelTable = table as ModelTable) {
    this.table = source;
    addFormats(this.ajv);
    const definitions = Object.fromEntries(Object.entries(source.schemas).map(([name, s]) => [name, toJsonSchema(s)]));
    this.ajv.addSchema({ $id: "models", definitions });
  }

  /** Every model id, sorted. */
  ids(): string[] {
    return Object.keys(this.table.models).sort();
  }

  /** One model, or undefined when the table has no such id. */
  get(id: string): ModelInfo | undefined {
    const info = this.table.models[id];
    return info ? { id, ...info } : undefined;
  }

  /**
   * Why a request body is not one `model` takes, or undefined when it is. Stricter than upstream's
   * documents, which do not forbid other properties: a parameter the model's spec lacks is named.
   */
  check(model: ModelInfo, body: Record<string, unknown>): string | undefined {
    const schema = this.table.schemas[model.request];
    const known = new Set(Object.keys(schema?.properties ?? {}));
    const unknown = Object.keys(body).filter((key) => key !== "model" && !known.has(key));
    if (unknown.length > 0)
      return `${unknown.map((k) => `"${k}"`).join(", ")} ${unknown.length === 1 ? "is not a parameter" : "are not parameters"} of ${model.id} (its spec: ${model.file})`;
    const { model: _id, ...rest } = body;
    const validate = this.validator(model.request);
    return validate(rest) ? undefined : describeValidationErrors(validate.errors);
  }

  /**
   * A reply made to fit a shape: top-level fields the shape does not allow (the live API's extras,
   * such as `service_tier`, that a model's spec leaves out) are dropped until it validates.
   */
  conform<T extends object>(shape: string | undefined, value: T): T {
    if (!shape) return value;
    const validate = this.validator(shape);
    const required = new Set((this.table.schemas[shape] as { required?: string[] } | undefined)?.required ?? []);
    let current = value;
    while (!validate(current)) {
      const error = validate.errors?.[0];
      const extra = error?.instancePath === "" ? (error.params as { additionalProperty?: string }).additionalProperty : undefined;
      const field = extra ?? error?.instancePath.split("/")[1];
      if (!field || required.has(field) || !(field in current)) break;
      const { [field]: _dropped, ...rest } = current as Record<string, unknown>;
      current = rest as T;
    }
    return current;
  }

  /** The validator of a shape by name (compiled on first use). */
  validator(shape: string): ValidateFunction {
    let validate = this.validators.get(shape);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `models#/definitions/${shape}` });
      this.validators.set(shape, validate);
    }
    return validate;
  }
}
