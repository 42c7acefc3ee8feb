/**
 * velocityjs, adjusted to render as Apache Velocity 1.7 on Java does (the engine behind API
 * Gateway's mapping templates). velocityjs follows JavaScript where the two differ; this subclass
 * restores Velocity's rules:
 *
 * - a null (or missing) reference renders as its own text, `$!ref` as nothing (velocityjs prints
 *   `null` for a JSON null);
 * - `#if`, `&&`, `||` and `!` use Velocity's truth: only null and `false` are false (an empty
 *   string or 0 is true), and `&&`/`||` give booleans;
 * - `==`/`!=` compare numbers by value and values of different types by their string forms;
 * - `#set($x = <null>)` leaves `$x` as it was (`directive.set.null.allowed` is off by default);
 * - method calls on strings, numbers, maps and lists are Java's (see `java-methods.ts`);
 * - a `#foreach` stops after FOREACH_MAX_ITERATIONS iterations, API Gateway's quota.
 *
 * String literals need no adjustment: Velocity keeps backslashes in them as written (it only reads
 * `\uXXXX` and doubled quotes), and so does velocityjs, so `"\\'"` is the three characters `\\'`.
 */
import { Compile, Helper, parse } from 'velocityjs';
import { JAVA_METHOD_HANDLERS, javaEquals, javaTruthy } from './java-methods';

/** The parts of a velocityjs AST node this file reads. */
interface Node {
  type?: string;
  id?: string;
  leader?: string;
  operator?: string;
  expression?: Node[];
  condition?: Node;
  equal?: [Node, Node];
  path?: Array<{ type: string; id: unknown }>;
}

/** velocityjs's compiler internals this subclass overrides or calls (they are not in its typings). */
interface CompilerInternals {
  context: Record<string, unknown>;
  silence: boolean;
  contextId: string;
  config: { valueMapper?: (value: unknown) => unknown };
  getReferences(ast: Node, isVal?: boolean): unknown;
  getExpression(ast: Node): unknown;
  getLiteral(ast: Node): unknown;
  getBlockEach(block: Node[]): string;
  setValue(ast: Node): void;
  getBlockIf(block: Node[]): string;
  renderAstList(asts: Node[], contextId?: string): string;
  getContext(id: string): Record<string, unknown>;
  getPathKeys(ref: Node): string[];
  render(context: Record<string, unknown>, macros?: Record<string, unknown>, silence?: boolean): string;
}

type CompilerConstructor = new (asts: unknown[], config: { customMethodHandlers: unknown[] }) => CompilerInternals;
const VelocityCompiler = Compile as unknown as CompilerConstructor;

const isNullish = (v: unknown): boolean => v === null || v === undefined;

/**
 * API Gateway's quota on the iterations of one `#foreach … #end` loop in a mapping template
 * (docs/aws-facts.md, API Gateway: 1,000, not adjustable). The documentation does not say what
 * happens past it; Velocity's own `directive.foreach.maxloops` ends the loop without an error, so
 * local mode does that: the items after the 1,000th are silently not visited, which a template
 * that relies on more iterations shows as lost data.
 */
export const FOREACH_MAX_ITERATIONS = 1000;

class JavaVelocityCompiler extends VelocityCompiler {
  getReferences(ast: Node, isVal?: boolean): unknown {
    const value = super.getReferences(ast, isVal);
    // A JSON null, or a method/property that is a JavaScript function, is null in Java terms.
    if (isVal && (value === null || typeof value === 'function')) {
      return ast.leader === '$!' || this.silence ? '' : Helper.getRefText(ast as Parameters<typeof Helper.getRefText>[0]);
    }
    return value;
  }

  getExpression(ast: Node): unknown {
    if (ast.type === 'math' && ast.expression) {
      const [left, right] = ast.expression;
      switch (ast.operator) {
        case '&&':
          return javaTruthy(this.getExpression(left)) && javaTruthy(this.getExpression(right));
        case '||':
          return javaTruthy(this.getExpression(left)) || javaTruthy(this.getExpression(right));
        case 'not':
          return !javaTruthy(this.getExpression(left));
        case '==':
          return javaEquals(this.getExpression(left), this.getExpression(right));
        case '!=':
          return !javaEquals(this.getExpression(left), this.getExpression(right));
      }
    }
    return super.getExpression(ast);
  }

  /** velocityjs's `#if/#elseif/#else`, with Velocity's truth. */
  getBlockIf(block: Node[]): string {
    let chosen = false;
    const body: Node[] = [];
    block.some((ast) => {
      const hasCondition = ast.type === 'if' || ast.type === 'elseif';
      if (!hasCondition && ast.type !== 'else') {
        if (chosen) body.push(ast);
        return false;
      }
      if (chosen) return true;
      chosen = hasCondition ? javaTruthy(this.getExpression(ast.condition as Node)) : true;
      return false;
    });
    return this.renderAstList(body, this.contextId);
  }

  /**
   * `#foreach`, visiting at most FOREACH_MAX_ITERATIONS items. velocityjs reads the loop's list with
   * getLiteral as its first step: that one call is intercepted to cut the list.
   */
  getBlockEach(block: Node[]): string {
    const getLiteral = this.getLiteral;
    this.getLiteral = (ast: Node) => {
      this.getLiteral = getLiteral;
      const items = getLiteral.call(this, ast);
      if (Array.isArray(items)) return items.length > FOREACH_MAX_ITERATIONS ? items.slice(0, FOREACH_MAX_ITERATIONS) : items;
      if (typeof items === 'object' && items !== null) {
        const values = Object.values(items);
        return values.length > FOREACH_MAX_ITERATIONS ? values.slice(0, FOREACH_MAX_ITERATIONS) : items;
      }
      return items;
    };
    try {
      return super.getBlockEach(block);
    } finally {
      this.getLiteral = getLiteral;
    }
  }

  /** `#set`, except that a null right-hand side leaves the target untouched (Velocity 1.7). */
  setValue(ast: Node): void {
    const target = this.setTarget(ast.equal![0]);
    const before = target && { had: Object.hasOwn(target.holder, target.key), value: target.holder[target.key] };
    let assignedNull = false;
    const mapper = this.config.valueMapper;
    // velocityjs evaluates the right-hand side once and passes it through valueMapper: watch it
    // there rather than evaluating it twice (`#set($x = $map.put(...))` has side effects).
    this.config.valueMapper = (value) => {
      assignedNull = isNullish(value);
      return mapper ? mapper(value) : value;
    };
    try {
      super.setValue(ast);
    } finally {
      this.config.valueMapper = mapper;
    }
    if (assignedNull && target && before) {
      if (before.had) target.holder[target.key] = before.value;
      else delete target.holder[target.key];
    }
  }

  /** The object and key a `#set` writes to, when it already exists. */
  private setTarget(ref: Node): { holder: Record<string, unknown>; key: string } | undefined {
    const id = ref.id as string;
    const root = this.contextId.startsWith('macro:') ? this.context : this.getContext(id);
    const keys = ref.path ? this.getPathKeys(ref) : [];
    if (keys.length === 0) return { holder: root, key: id };
    let holder: unknown = root[id];
    for (const key of keys.slice(0, -1)) {
      if (typeof holder !== 'object' || holder === null) return undefined;
      holder = (holder as Record<string, unknown>)[key];
    }
    if (typeof holder !== 'object' || holder === null) return undefined;
    return { holder: holder as Record<string, unknown>, key: keys[keys.length - 1] };
  }
}

const parsed = new Map<string, unknown[]>();

/** Parses a template once; API Gateway's templates are few and fixed, so the cache stays small. */
function parseTemplate(template: string): unknown[] {
  let asts = parsed.get(template);
  if (!asts) {
    asts = parse(template) as unknown[];
    parsed.set(template, asts);
  }
  return asts;
}

/**
 * Renders a VTL template with Velocity-on-Java semantics. Errors (a parse error, a Java method
 * that throws, invalid JSON given to `$util.parseJson`) propagate: API Gateway fails the request.
 */
export function renderVelocity(template: string, data: Record<string, unknown>): string {
  const compiler = new JavaVelocityCompiler(parseTemplate(template), { customMethodHandlers: JAVA_METHOD_HANDLERS });
  return compiler.render(data);
}
