// The module graph of static extraction: each source parsed once (never run), its imports,
// exports and requires indexed, and relative specifiers resolved to files as Node and
// TypeScript would (`./a.js` may be `a.ts`; `./dir` may be `dir/index.ts`).
import { readFileSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import type * as TS from "typescript";
import { displayPath } from "../../wrap/site";
import { isSourceFile } from "../inputs";
import type { TypeScript } from "./typescript";

/** Where a specifier leads: penstock itself, a module of the graph, or elsewhere (not read). */
export type Target = { readonly kind: "penstock" } | { readonly kind: "module"; readonly module: ModuleRecord } | { readonly kind: "external"; readonly specifier: string };

/** A name bound by an import: one export of a target, or the whole target. */
export type ImportBinding = { readonly kind: "named"; readonly target: Target; readonly name: string } | { readonly kind: "namespace"; readonly target: Target };

/** A name a module exports. */
export type ExportBinding =
  | { readonly kind: "local"; readonly name: string }
  | { readonly kind: "reexport"; readonly target: Target; readonly name: string }
  | { readonly kind: "namespace"; readonly target: Target }
  | { readonly kind: "expression"; readonly node: TS.Expression };

export interface ModuleRecord {
  readonly path: string;
  /** The path as sources are written (`file:line:column`): relative to the working directory when under it. */
  readonly display: string;
  readonly source: TS.SourceFile;
  /** The first syntax error, as `file:line:column: message`, if the file does not parse. */
  readonly parseError: string | undefined;
  readonly imports: Map<string, ImportBinding>;
  readonly exports: Map<string, ExportBinding>;
  readonly starExports: Target[];
  /** `module.exports = <expression>`, the CommonJS way to export an object. */
  moduleExports: TS.Expression | undefined;
  /** Names assigned somewhere after their declaration (`x = ...`, `x++`): their initializer is not their value. */
  readonly reassigned: Set<string>;
  /** Every call expression, in source order. */
  readonly calls: TS.CallExpression[];
  /** Every specifier imported or required, resolved, in source order. */
  readonly dependencies: Target[];
  /** What each `require("...")` call resolved to. */
  readonly requires: Map<TS.CallExpression, Target>;
}

const RELATIVE = /^\.{1,2}(\/|$)|^\//;
const TS_FOR_JS: Readonly<Record<string, string>> = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts", ".jsx": ".tsx" };
const INDEX_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"];

function isFile(path: string, cache: Map<string, boolean>): boolean {
  let known = cache.get(path);
  if (known === undefined) {
    try {
      known = statSync(path).isFile();
    } catch {
      known = false;
    }
    cache.set(path, known);
  }
  return known;
}

/** The file a relative specifier of `from` names, or undefined when there is none. */
export function resolveSpecifier(specifier: string, from: string, cache: Map<string, boolean>): string | undefined {
  const base = resolve(dirname(from), specifier.split(/[?#]/)[0]!);
  const extension = extname(base);
  const candidates = [base];
  if (TS_FOR_JS[extension] !== undefined) candidates.push(base.slice(0, -extension.length) + TS_FOR_JS[extension]);
  for (const ext of INDEX_EXTENSIONS) candidates.push(base + ext);
  for (const ext of INDEX_EXTENSIONS) candidates.push(resolve(base, `index${ext}`));
  return candidates.find((candidate) => isSourceFile(candidate) && isFile(candidate, cache));
}

function scriptKind(ts: TypeScript, path: string): TS.ScriptKind {
  switch (extname(path).toLowerCase()) {
    case ".ts":
    case ".mts":
    case ".cts":
      return ts.ScriptKind.TS;
    case ".tsx":
      return ts.ScriptKind.TSX;
    default:
      return ts.ScriptKind.JS;
  }
}

/** The syntax errors the parser found (kept on the SourceFile, see docs/architecture.md). */
function parseDiagnostics(source: TS.SourceFile): readonly TS.DiagnosticWithLocation[] {
  return (source as unknown as { parseDiagnostics?: readonly TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

export function position(source: TS.SourceFile, at: number): { line: number; column: number } {
  const { line, character } = source.getLineAndCharacterOfPosition(at);
  return { line: line + 1, column: character + 1 };
}

function stringOf(ts: TypeScript, node: TS.Node | undefined): string | undefined {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function nameText(ts: TypeScript, node: TS.ModuleExportName | TS.Identifier): string {
  return ts.isIdentifier(node) ? node.text : node.text;
}

/** `require("x")`, with `require` not bound in the module (checked by the caller where it matters). */
export function requiredSpecifier(ts: TypeScript, node: TS.Node): string | undefined {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== "require" || node.arguments.length !== 1) return undefined;
  return stringOf(ts, node.arguments[0]);
}

/** `module.exports` or `exports`, and the property after it (`exports.x`), if any. */
function commonJsExport(ts: TypeScript, node: TS.Expression): { whole: boolean; name?: string } | undefined {
  const isModuleExports = (n: TS.Expression): boolean =>
    ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "module" && n.name.text === "exports";
  if (isModuleExports(node)) return { whole: true };
  if (ts.isPropertyAccessExpression(node)) {
    const object = node.expression;
    if ((ts.isIdentifier(object) && object.text === "exports") || isModuleExports(object)) return { whole: false, name: node.name.text };
  }
  return undefined;
}

/** Reads the sources of a graph, each once, following relative imports from the files given. */
export class ModuleGraph {
  readonly modules = new Map<string, ModuleRecord>();
  private readonly files = new Map<string, boolean>();

  constructor(
    private readonly ts: TypeScript,
    private readonly cwd: string,
  ) {}

  /** The record of `path`, parsing it (and, in turn, what it imports) on first sight. */
  load(path: string): ModuleRecord {
    const known = this.modules.get(path);
    if (known !== undefined) return known;
    const ts = this.ts;
    const text = readFileSync(path, "utf8");
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(ts, path));
    const display = displayPath(path, this.cwd);
    const [first] = parseDiagnostics(source);
    const at = first === undefined ? undefined : position(source, first.start);
    const record: ModuleRecord = {
      path,
      display,
      source,
      parseError: first === undefined ? undefined : `${display}:${at!.line}:${at!.column}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}`,
      imports: new Map(),
      exports: new Map(),
      starExports: [],
      moduleExports: undefined,
      reassigned: new Set(),
      calls: [],
      dependencies: [],
      requires: new Map(),
    };
    this.modules.set(path, record);
    this.index(record);
    return record;
  }

  private target(specifier: string, from: string): Target {
    if (specifier === "penstock") return { kind: "penstock" };
    if (!RELATIVE.test(specifier)) return { kind: "external", specifier };
    const path = resolveSpecifier(specifier, from, this.files);
    return path === undefined ? { kind: "external", specifier } : { kind: "module", module: this.load(path) };
  }

  private index(record: ModuleRecord): void {
    const ts = this.ts;
    const dependency = (specifier: string): Target => {
      const target = this.target(specifier, record.path);
      record.dependencies.push(target);
      return target;
    };
    for (const statement of record.source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const specifier = stringOf(ts, statement.moduleSpecifier);
        if (specifier === undefined) continue;
        const target = dependency(specifier);
        const clause = statement.importClause;
        if (clause === undefined || clause.isTypeOnly) continue;
        if (clause.name !== undefined) record.imports.set(clause.name.text, target.kind === "module" ? { kind: "named", target, name: "default" } : { kind: "namespace", target });
        const bindings = clause.namedBindings;
        if (bindings !== undefined && ts.isNamespaceImport(bindings)) record.imports.set(bindings.name.text, { kind: "namespace", target });
        if (bindings !== undefined && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            if (element.isTypeOnly) continue;
            record.imports.set(element.name.text, { kind: "named", target, name: nameText(ts, element.propertyName ?? element.name) });
          }
        }
      } else if (ts.isExportDeclaration(statement)) {
        if (statement.isTypeOnly) continue;
        const specifier = stringOf(ts, statement.moduleSpecifier);
        const target = specifier === undefined ? undefined : dependency(specifier);
        const clause = statement.exportClause;
        if (clause === undefined) {
          if (target !== undefined) record.starExports.push(target);
        } else if (ts.isNamespaceExport(clause)) {
          if (target !== undefined) record.exports.set(nameText(ts, clause.name), { kind: "namespace", target });
        } else {
          for (const element of clause.elements) {
            if (element.isTypeOnly) continue;
            const local = nameText(ts, element.propertyName ?? element.name);
            record.exports.set(nameText(ts, element.name), target === undefined ? { kind: "local", name: local } : { kind: "reexport", target, name: local });
          }
        }
      } else if (ts.isExportAssignment(statement)) {
        record.exports.set("default", { kind: "expression", node: statement.expression });
      } else if (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) record.exports.set(declaration.name.text, { kind: "local", name: declaration.name.text });
        }
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name !== undefined && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        record.exports.set(statement.name.text, { kind: "local", name: statement.name.text });
      } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const exported = commonJsExport(ts, statement.expression.left);
        if (exported?.whole === true) record.moduleExports = statement.expression.right;
        else if (exported?.name !== undefined) record.exports.set(exported.name, { kind: "expression", node: statement.expression.right });
      }
    }
    // One walk for what can be anywhere: calls (registrations, require), dynamic imports, and
    // assignments that make a `let` or `var` initializer unreliable.
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) {
        record.calls.push(node);
        const required = requiredSpecifier(ts, node);
        if (required !== undefined) record.requires.set(node, dependency(required));
        else if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const specifier = stringOf(ts, node.arguments[0]);
          if (specifier !== undefined) dependency(specifier);
        }
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        if (ts.isIdentifier(node.left)) record.reassigned.add(node.left.text);
      } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand)) {
        if (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) record.reassigned.add(node.operand.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(record.source);
  }
}
