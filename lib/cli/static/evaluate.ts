// The values static extraction can know without running anything: string literals, arrays of
// them, penstock's entrypoint/step/flow however they are imported, the flow builders, and
// what a registration call returns (its StepInfo), through variables and across modules.
// Everything else is `unknown`, with the reason.
import type * as TS from "typescript";
import { isPenstockError } from "../../errors";
import { flowsOf, resolveFlow, splitAfter, type AfterRef } from "../../wrap/options";
import type { StepInfo, StepKind } from "../../types";
import { position, type ModuleRecord, type Target } from "./modules";
import type { TypeScript } from "./typescript";

type Api = "entrypoint" | "step" | "flow";

export type Value =
  | { readonly t: "string"; readonly value: string }
  | { readonly t: "array"; readonly items: readonly Value[] }
  | { readonly t: "object"; readonly node: TS.ObjectLiteralExpression; readonly module: ModuleRecord }
  | { readonly t: "penstock" }
  | { readonly t: "api"; readonly name: Api }
  | { readonly t: "builder"; readonly flow: string }
  | { readonly t: "method"; readonly flow: string; readonly kind: StepKind }
  | { readonly t: "wrapped"; readonly info: StepInfo }
  | { readonly t: "namespace"; readonly module: ModuleRecord }
  | { readonly t: "unknown"; readonly why: string };

const API = new Set<string>(["entrypoint", "step", "flow"]);
const OPTION_KEYS = new Set(["flow", "after", "attributes"]);
const unknown = (why: string): Value => ({ t: "unknown", why });

/** What a registration call found: its StepInfo, or why it is left out. */
export type Registration =
  | { readonly ok: true; readonly info: StepInfo }
  /** `error`: import mode would fail to load (a PenstockError); otherwise it cannot be known statically. */
  | { readonly ok: false; readonly error: boolean; readonly message: string };

/** A name's declaration, as found in its scope. */
type Binding =
  | { readonly kind: "variable"; readonly declaration: TS.VariableDeclaration; readonly constant: boolean }
  | { readonly kind: "destructured"; readonly declaration: TS.VariableDeclaration; readonly element: TS.BindingElement; readonly constant: boolean }
  | { readonly kind: "import"; readonly name: string }
  | { readonly kind: "opaque"; readonly what: string };

export class Evaluator {
  private readonly scopes = new WeakMap<TS.Node, Map<string, Binding>>();
  private readonly values = new WeakMap<TS.Node, Value>();
  private readonly inProgress = new WeakSet<TS.Node>();
  /** Every registration call evaluated, by call node. */
  readonly registrations = new Map<TS.CallExpression, Registration>();

  constructor(private readonly ts: TypeScript) {}

  // --- scopes -------------------------------------------------------------------------------

  private declare(map: Map<string, Binding>, list: TS.VariableDeclarationList): void {
    const ts = this.ts;
    const constant = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      if (ts.isIdentifier(declaration.name)) {
        map.set(declaration.name.text, { kind: "variable", declaration, constant });
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (ts.isIdentifier(element.name)) {
            map.set(element.name.text, element.dotDotDotToken === undefined ? { kind: "destructured", declaration, element, constant } : { kind: "opaque", what: "a rest element" });
          }
        }
      } else {
        this.bindNames(map, declaration.name, "a destructured array element");
      }
    }
  }

  private bindNames(map: Map<string, Binding>, name: TS.BindingName, what: string): void {
    const ts = this.ts;
    if (ts.isIdentifier(name)) {
      map.set(name.text, { kind: "opaque", what });
      return;
    }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) this.bindNames(map, element.name, what);
  }

  /** The names `node` declares for the code inside it (lazily, once per scope). */
  private scope(node: TS.Node, module: ModuleRecord): Map<string, Binding> | undefined {
    const ts = this.ts;
    const known = this.scopes.get(node);
    if (known !== undefined) return known;
    let map: Map<string, Binding> | undefined;
    const statements = ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) ? node.statements : ts.isCaseClause(node) || ts.isDefaultClause(node) ? node.statements : undefined;
    if (statements !== undefined) {
      map = new Map();
      for (const statement of statements) {
        if (ts.isVariableStatement(statement)) this.declare(map, statement.declarationList);
        else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name !== undefined) {
          map.set(statement.name.text, { kind: "opaque", what: `a ${ts.isFunctionDeclaration(statement) ? "function" : ts.isClassDeclaration(statement) ? "class" : "enum"}` });
        }
      }
      if (ts.isSourceFile(node)) for (const name of module.imports.keys()) map.set(name, { kind: "import", name });
    } else if (ts.isFunctionLike(node)) {
      map = new Map();
      for (const parameter of node.parameters) this.bindNames(map, parameter.name, "a parameter");
    } else if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer !== undefined && ts.isVariableDeclarationList(node.initializer)) {
      map = new Map();
      for (const declaration of node.initializer.declarations) this.bindNames(map, declaration.name, "a loop variable");
    } else if (ts.isCatchClause(node) && node.variableDeclaration !== undefined) {
      map = new Map();
      this.bindNames(map, node.variableDeclaration.name, "a caught error");
    }
    if (map !== undefined) this.scopes.set(node, map);
    return map;
  }

  private lookup(name: string, from: TS.Node, module: ModuleRecord): Binding | undefined {
    for (let node: TS.Node | undefined = from; node !== undefined; node = node.parent) {
      const found = this.scope(node, module)?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  // --- values -------------------------------------------------------------------------------

  private identifier(name: string, from: TS.Node, module: ModuleRecord): Value {
    const binding = this.lookup(name, from, module);
    if (binding === undefined) return unknown(`${name} is not declared in ${module.display}`);
    switch (binding.kind) {
      case "opaque":
        return unknown(`${name} is ${binding.what}`);
      case "import":
        return this.imported(module.imports.get(binding.name)!, module);
      case "variable":
      case "destructured": {
        if (!binding.constant && module.reassigned.has(name)) return unknown(`${name} is assigned more than once`);
        const init = binding.declaration.initializer;
        if (init === undefined) return unknown(`${name} has no initializer`);
        const whole = this.evaluate(init, module);
        if (binding.kind === "variable") return whole;
        const element = binding.element;
        const key = element.propertyName === undefined ? name : this.ts.isIdentifier(element.propertyName) || this.ts.isStringLiteral(element.propertyName) ? element.propertyName.text : undefined;
        return key === undefined ? unknown(`${name} is destructured with a computed key`) : this.member(whole, key);
      }
    }
  }

  private imported(binding: { kind: "named"; target: Target; name: string } | { kind: "namespace"; target: Target }, module: ModuleRecord): Value {
    if (binding.kind === "namespace") return this.targetValue(binding.target);
    return this.exported(binding.target, binding.name, new Set(), module);
  }

  private targetValue(target: Target): Value {
    if (target.kind === "penstock") return { t: "penstock" };
    if (target.kind === "module") return { t: "namespace", module: target.module };
    return unknown(`"${target.specifier}" is not read (only penstock and relative imports are)`);
  }

  private exported(target: Target, name: string, seen: Set<string>, from: ModuleRecord): Value {
    if (target.kind === "penstock") return API.has(name) ? { t: "api", name: name as Api } : unknown(`${name} of penstock registers nothing`);
    if (target.kind === "external") return unknown(`"${target.specifier}" is not read (only penstock and relative imports are)`);
    const module = target.module;
    if (module.parseError !== undefined) return unknown(`${module.display} does not parse`);
    const key = `${module.path}\0${name}`;
    if (seen.has(key)) return unknown(`${name} is exported in a cycle`);
    seen.add(key);
    const binding = module.exports.get(name);
    if (binding !== undefined) {
      switch (binding.kind) {
        case "local":
          return this.identifier(binding.name, module.source, module);
        case "reexport":
          return this.exported(binding.target, binding.name, seen, module);
        case "namespace":
          return this.targetValue(binding.target);
        case "expression":
          return this.evaluate(binding.node, module);
      }
    }
    if (module.moduleExports !== undefined) return this.member(this.evaluate(module.moduleExports, module), name);
    for (const star of module.starExports) {
      const value = this.exported(star, name, seen, module);
      if (value.t !== "unknown") return value;
    }
    return unknown(`${module.display} has no export ${name} (imported by ${from.display})`);
  }

  private member(object: Value, name: string): Value {
    switch (object.t) {
      case "penstock":
        return API.has(name) ? { t: "api", name: name as Api } : unknown(`${name} of penstock registers nothing`);
      case "namespace":
        return this.exported({ kind: "module", module: object.module }, name, new Set(), object.module);
      case "builder":
        return name === "entrypoint" || name === "step" ? { t: "method", flow: object.flow, kind: name } : unknown(`flow("${object.flow}").${name} is not entrypoint or step`);
      case "object": {
        const value = this.property(object, name);
        return value ?? unknown(`the object has no property ${name}`);
      }
      default:
        return object.t === "unknown" ? object : unknown(`${name} is read from ${object.t === "wrapped" ? "a wrapped function" : `a ${object.t}`}`);
    }
  }

  /** A property of an object literal, or undefined when it has none; unknown past a spread. */
  private property(object: Extract<Value, { t: "object" }>, name: string): Value | undefined {
    const ts = this.ts;
    let found: Value | undefined;
    for (const property of object.node.properties) {
      if (ts.isSpreadAssignment(property)) {
        found = unknown("the object has a spread (...)");
        continue;
      }
      const key = this.propertyName(property.name);
      if (key === undefined) {
        found = unknown("the object has a computed key");
        continue;
      }
      if (key !== name) continue;
      if (ts.isShorthandPropertyAssignment(property)) found = this.identifier(property.name.text, property, object.module);
      else if (ts.isPropertyAssignment(property)) found = this.evaluate(property.initializer, object.module);
      else found = unknown(`${name} is a method or an accessor`);
    }
    return found;
  }

  private propertyName(name: TS.PropertyName | undefined): string | undefined {
    const ts = this.ts;
    if (name === undefined) return undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name) && (ts.isStringLiteral(name.expression) || ts.isNoSubstitutionTemplateLiteral(name.expression))) return name.expression.text;
    return undefined;
  }

  /** The value of `node` in `module`, memoized per node. */
  evaluate(node: TS.Expression, module: ModuleRecord): Value {
    const known = this.values.get(node);
    if (known !== undefined) return known;
    if (this.inProgress.has(node)) return unknown("it refers to itself");
    this.inProgress.add(node);
    try {
      const value = this.compute(node, module);
      this.values.set(node, value);
      return value;
    } finally {
      this.inProgress.delete(node);
    }
  }

  private compute(node: TS.Expression, module: ModuleRecord): Value {
    const ts = this.ts;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node)) {
      return this.evaluate(node.expression, module);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { t: "string", value: node.text };
    if (ts.isTemplateExpression(node)) return unknown("a template literal with ${...} is computed");
    if (ts.isArrayLiteralExpression(node)) {
      const items: Value[] = [];
      for (const element of node.elements) {
        if (ts.isSpreadElement(element)) {
          const spread = this.evaluate(element.expression, module);
          if (spread.t !== "array") return unknown("an array spreads a value that is not a known array");
          items.push(...spread.items);
        } else {
          items.push(this.evaluate(element, module));
        }
      }
      return { t: "array", items };
    }
    if (ts.isObjectLiteralExpression(node)) return { t: "object", node, module };
    // `(0, penstock_1.step)`, as compilers write a call of an imported function.
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken) return this.evaluate(node.right, module);
    if (ts.isIdentifier(node)) return this.identifier(node.text, node, module);
    if (ts.isPropertyAccessExpression(node)) {
      // A CommonJS module reading its own exports (`exports.invoice`, `module.exports.invoice`).
      if (this.isOwnExports(node.expression, module)) return this.exported({ kind: "module", module }, node.name.text, new Set(), module);
      return this.member(this.evaluate(node.expression, module), node.name.text);
    }
    if (ts.isElementAccessExpression(node) && (ts.isStringLiteral(node.argumentExpression) || ts.isNoSubstitutionTemplateLiteral(node.argumentExpression))) {
      return this.member(this.evaluate(node.expression, module), node.argumentExpression.text);
    }
    if (ts.isCallExpression(node)) return this.call(node, module);
    return unknown(`${ts.SyntaxKind[node.kind]} is computed at run time`);
  }

  // --- calls --------------------------------------------------------------------------------

  private call(node: TS.CallExpression, module: ModuleRecord): Value {
    const ts = this.ts;
    const required = module.requires.get(node);
    if (required !== undefined && this.lookup("require", node, module) === undefined) return this.targetValue(required);
    const callee = this.evaluate(node.expression, module);
    if (callee.t === "api" && callee.name === "flow") {
      const name = node.arguments[0] === undefined ? unknown("flow() has no name") : this.evaluate(node.arguments[0], module);
      return name.t === "string" && name.value !== "" ? { t: "builder", flow: name.value } : unknown("the name given to flow() is not a string literal");
    }
    if (callee.t === "api" || callee.t === "method") {
      const registration = this.registration(node, module, callee.t === "api" ? (callee.name as StepKind) : callee.kind, callee.t === "method" ? callee.flow : undefined);
      return registration.ok ? { t: "wrapped", info: registration.info } : unknown(registration.message);
    }
    return unknown("a call is computed at run time");
  }

  private isOwnExports(node: TS.Expression, module: ModuleRecord): boolean {
    const ts = this.ts;
    if (ts.isIdentifier(node)) return node.text === "exports" && this.lookup("exports", node, module) === undefined;
    return (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "exports" &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "module" &&
      this.lookup("module", node, module) === undefined
    );
  }

  /** The callee without the `(0, ...)` compilers wrap around an imported function. */
  private callee(node: TS.CallExpression): TS.Expression {
    const ts = this.ts;
    let callee: TS.Expression = node.expression;
    while (ts.isParenthesizedExpression(callee)) {
      const inner = callee.expression;
      callee = ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.CommaToken ? inner.right : inner;
    }
    return callee;
  }

  /** `file:line:column` of a call, where V8's stack trace puts it. */
  site(node: TS.CallExpression, module: ModuleRecord): string {
    const ts = this.ts;
    const callee = node.expression;
    const at = ts.isIdentifier(callee) ? callee.getStart(module.source) : ts.isPropertyAccessExpression(callee) ? callee.name.getStart(module.source) : node.arguments.pos - 1;
    const { line, column } = position(module.source, at);
    return `${module.display}:${line}:${column}`;
  }

  /** Is `node` a call of entrypoint, step, or a flow builder's method? */
  isRegistration(node: TS.CallExpression, module: ModuleRecord): boolean {
    const ts = this.ts;
    const callee = this.callee(node);
    // Only names that could be penstock's (any identifier: imports can be renamed) are evaluated.
    if (!ts.isIdentifier(callee) && !(ts.isPropertyAccessExpression(callee) && (callee.name.text === "entrypoint" || callee.name.text === "step"))) return false;
    const value = this.evaluate(callee, module);
    return (value.t === "api" && value.name !== "flow") || value.t === "method";
  }

  /**
   * For a call `x.entrypoint(...)` or `x.step(...)` in a module that imports penstock, where
   * `x` cannot be known (a flow builder made in a loop, say): why, as a note to report.
   */
  doubtful(node: TS.CallExpression, module: ModuleRecord): string | undefined {
    const ts = this.ts;
    const callee = this.callee(node);
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== "entrypoint" && callee.name.text !== "step")) return undefined;
    if (!module.dependencies.some((dependency) => dependency.kind === "penstock")) return undefined;
    const value = this.evaluate(callee, module);
    if (value.t !== "unknown") return undefined;
    return `${this.site(node, module)}: ${callee.name.text}() cannot be read statically: what it is called on cannot be known (${value.why}); it is left out.`;
  }

  /** The registration `node` makes, evaluated once. */
  registration(node: TS.CallExpression, module: ModuleRecord, kind: StepKind, builderFlow: string | undefined): Registration {
    const known = this.registrations.get(node);
    if (known !== undefined) return known;
    const found = this.register(node, module, kind, builderFlow);
    this.registrations.set(node, found);
    return found;
  }

  private register(node: TS.CallExpression, module: ModuleRecord, kind: StepKind, builderFlow: string | undefined): Registration {
    const ts = this.ts;
    const site = this.site(node, module);
    const left = (why: string): Registration => ({ ok: false, error: false, message: `${site}: ${kind}() cannot be read statically: ${why}; it is left out.` });
    const fails = (why: string): Registration => ({ ok: false, error: true, message: `${site}: ${why}` });
    const [nameNode, , optionsNode] = node.arguments;
    if (node.arguments.some((argument) => ts.isSpreadElement(argument))) return left("its arguments are spread");
    const name = nameNode === undefined ? unknown("there is no name") : this.evaluate(nameNode, module);
    if (name.t !== "string") return left(`the name is not a string literal (${name.t === "unknown" ? name.why : `a ${name.t}`})`);
    const where = `${kind}(${JSON.stringify(name.value)}, fn, options)`;
    if (name.value === "") return fails(`${where}: name must be a non-empty string naming the ${kind}.`);
    let explicit: string | undefined = builderFlow;
    let after: Value | undefined;
    if (optionsNode !== undefined && !(ts.isIdentifier(optionsNode) && optionsNode.text === "undefined")) {
      const options = this.evaluate(optionsNode, module);
      if (options.t !== "object") return left(`its options are not an object literal (${options.t === "unknown" ? options.why : `a ${options.t}`})`);
      for (const property of options.node.properties) {
        if (ts.isSpreadAssignment(property)) return left("its options are spread (...)");
        const key = this.propertyName(property.name);
        if (key === undefined) return left("its options have a computed key");
        if (!OPTION_KEYS.has(key)) return fails(`${where}: options: unknown option ${JSON.stringify(key)}.`);
        if (key === "flow" && builderFlow !== undefined) return fails(`flow("${builderFlow}").${kind}(): options.flow is not allowed here; the flow is "${builderFlow}".`);
      }
      const flow = this.property(options, "flow");
      if (flow !== undefined) {
        if (flow.t !== "string") return left(`options.flow is not a string literal (${flow.t === "unknown" ? flow.why : `a ${flow.t}`})`);
        if (flow.value === "") return fails(`${where}: options.flow: must be a non-empty string.`);
        explicit = flow.value;
      }
      after = this.property(options, "after");
    }
    const refs: AfterRef[] = [];
    const items = after === undefined ? [] : after.t === "array" ? after.items : [after];
    for (const [index, item] of items.entries()) {
      const field = after?.t === "array" ? `options.after[${index}]` : "options.after";
      if (item.t === "string" && item.value !== "") refs.push({ name: item.value, flow: undefined });
      else if (item.t === "wrapped") refs.push({ name: item.info.name, flow: item.info.flow });
      else return left(`${field} is not a step name or a wrapped function known statically (${item.t === "unknown" ? item.why : `a ${item.t}`})`);
    }
    try {
      const flow = resolveFlow(where, kind, name.value, explicit, flowsOf(refs));
      const split = splitAfter(refs, flow);
      const info: StepInfo = Object.freeze({
        name: name.value,
        flow,
        kind,
        after: Object.freeze(split.names),
        source: site,
        ...(split.crossFlow.length === 0 ? {} : { crossFlow: Object.freeze(split.crossFlow.map((ref) => Object.freeze(ref))) }),
      });
      return { ok: true, info };
    } catch (error) {
      if (isPenstockError(error)) return fails(error.message);
      throw error;
    }
  }
}
