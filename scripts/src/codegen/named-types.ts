/**
 * Turns openapi-typescript's `components["schemas"]["X"]` into real named types: each component
 * schema becomes `export interface X { … }` (or `export type X = …` when it is not an object), a
 * dotted name `A.B` is `B` in `export namespace A`, and every reference to it, in paths and
 * elsewhere, is the name itself. Interfaces keep their names in hovers and compiler messages, which
 * indexed-access types do not.
 */
import ts from "typescript";

const f = ts.factory;
const EXPORT = [f.createModifier(ts.SyntaxKind.ExportKeyword)];

/** The schema name a `components["schemas"]["X"]` type node refers to, or undefined. */
function componentName(node: ts.Node): string | undefined {
  if (!ts.isIndexedAccessTypeNode(node)) return undefined;
  const index = node.indexType;
  const object = node.objectType;
  if (!ts.isLiteralTypeNode(index) || !ts.isStringLiteral(index.literal)) return undefined;
  if (!ts.isIndexedAccessTypeNode(object)) return undefined;
  const inner = object.indexType;
  const root = object.objectType;
  if (!ts.isLiteralTypeNode(inner) || !ts.isStringLiteral(inner.literal) || inner.literal.text !== "schemas") return undefined;
  if (!ts.isTypeReferenceNode(root) || !ts.isIdentifier(root.typeName) || root.typeName.text !== "components") return undefined;
  return index.literal.text;
}

/** A type reference to a (possibly dotted) name: `A.B.C`. */
function referenceTo(name: string): ts.TypeReferenceNode {
  const [first, ...rest] = name.split(".");
  let entity: ts.EntityName = f.createIdentifier(first as string);
  for (const part of rest) entity = f.createQualifiedName(entity, part);
  return f.createTypeReferenceNode(entity);
}

/** Rewrites every `components["schemas"]["X"]` below `node` whose X is in `names` to the name X. */
function rewriteReferences<T extends ts.Node>(node: T, names: ReadonlySet<string>): T {
  const result = ts.transform(node, [
    (context) => {
      const visit: ts.Visitor = (child) => {
        const name = componentName(child);
        if (name && names.has(name)) return referenceTo(name);
        return ts.visitEachChild(child, visit, context);
      };
      return (root) => ts.visitNode(root, visit) as T;
    },
  ]);
  return result.transformed[0] as T;
}

interface Entry {
  /** The last part of the dotted name. */
  name: string;
  declaration?: ts.Statement;
  children: Map<string, Entry>;
}

/** The statements declaring one entry and, in a namespace of the same name, its children. */
function declare(entry: Entry): ts.Statement[] {
  const statements = entry.declaration ? [entry.declaration] : [];
  if (entry.children.size > 0) {
    statements.push(
      f.createModuleDeclaration(
        EXPORT,
        f.createIdentifier(entry.name),
        f.createModuleBlock([...entry.children.values()].flatMap(declare)),
        ts.NodeFlags.Namespace,
      ),
    );
  }
  return statements;
}

/**
 * Rewrites openapi-typescript's output: the component schemas become named declarations (before
 * everything else), references to them become the names, and `components["schemas"]` lists the
 * named types, so code that indexes it keeps working.
 */
export function emitNamedTypes(nodes: readonly ts.Node[]): ts.Node[] {
  const components = nodes.find(
    (n): n is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(n) && n.name.text === "components",
  );
  const schemasMember = components?.members.find(
    (m): m is ts.PropertySignature & { type: ts.TypeLiteralNode } =>
      ts.isPropertySignature(m) &&
      ts.isIdentifier(m.name) &&
      m.name.text === "schemas" &&
      !!m.type &&
      ts.isTypeLiteralNode(m.type),
  );
  if (!components || !schemasMember) return [...nodes];
  const members = schemasMember.type.members.filter(ts.isPropertySignature);
  const memberName = (m: ts.PropertySignature) => (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : "");
  const names = new Set(members.map(memberName));

  const root: Entry = { name: "", children: new Map() };
  for (const member of members) {
    const name = memberName(member);
    let entry = root;
    for (const part of name.split(".")) {
      let child = entry.children.get(part);
      if (!child) {
        child = { name: part, children: new Map() };
        entry.children.set(part, child);
      }
      entry = child;
    }
    const type = rewriteReferences(member.type as ts.TypeNode, names);
    const declaration: ts.Statement = ts.isTypeLiteralNode(type)
      ? f.createInterfaceDeclaration(EXPORT, entry.name, undefined, undefined, type.members)
      : f.createTypeAliasDeclaration(EXPORT, entry.name, undefined, type);
    const comments = ts.getSyntheticLeadingComments(member);
    if (comments) ts.setSyntheticLeadingComments(declaration, comments);
    entry.declaration = declaration;
  }

  // `components["schemas"]` keeps every name, now pointing at the named types.
  const listed = f.updatePropertySignature(
    schemasMember,
    schemasMember.modifiers,
    schemasMember.name,
    schemasMember.questionToken,
    f.createTypeLiteralNode(
      members.map((m) => f.updatePropertySignature(m, m.modifiers, m.name, m.questionToken, referenceTo(memberName(m)))),
    ),
  );
  const rewritten = nodes.map((node) => {
    if (node === components)
      return f.updateInterfaceDeclaration(
        components,
        components.modifiers,
        components.name,
        components.typeParameters,
        components.heritageClauses,
        components.members.map((m) => (m === schemasMember ? listed : m)),
      );
    return rewriteReferences(node, names);
  });
  return [...[...root.children.values()].flatMap(declare), ...rewritten];
}
