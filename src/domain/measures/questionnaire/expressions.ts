import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

/**
 * FHIRPath as the SDC expressions of an imported Questionnaire use it, with the `fhirpath` library
 * (LHC's implementation, the one LHC-Forms scores with) and its R4 model, which gives `weight()` /
 * `ordinal()` the ordinalValue and itemWeight extensions (fhirpath 5: the supplementary functions
 * of SDC, http://hl7.org/fhir/uv/sdc/expressions.html#fhirpath-supplements).
 *
 * Nothing here reaches a server: expressions that would (resolve(), %terminologies, memberOf()…)
 * are refused at import, so scoring a response is the same on every machine and never waits.
 */

/** Environment variables every expression may use (FHIRPath and SDC's fixed names). */
const FIXED_VARIABLES: ReadonlySet<string> = new Set([
  'resource',
  'rootResource',
  'context',
  'questionnaire',
  'qitem',
  'ucum',
  'sct',
  'loinc',
]);

/** Functions and variables that need a terminology or FHIR server. */
const NEEDS_SERVER: ReadonlySet<string> = new Set([
  'resolve',
  'memberOf',
  'expand',
  'lookup',
  'validateVS',
  'validateCS',
  'subsumes',
  'translate',
  'conformsTo',
]);
const SERVER_VARIABLES: ReadonlySet<string> = new Set(['terminologies', 'factory', 'server']);

interface ParseNode {
  type: string;
  text?: string;
  children?: ParseNode[];
}

function* walk(node: ParseNode): Generator<ParseNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

/** `%name`, `%'vs-name'` and %`name` all name the variable `name`. */
const unquote = (text: string) => text.replace(/^[`'"]|[`'"]$/g, '');

function namesIn(tree: ParseNode): { variables: string[]; functions: string[] } {
  const variables: string[] = [];
  const functions: string[] = [];
  for (const node of walk(tree)) {
    if (node.type === 'ExternalConstant') {
      const identifier = node.children?.find((c) => c.type === 'Identifier' || c.type === 'STRING');
      const text = identifier?.text ?? node.text;
      if (text) variables.push(unquote(text));
    }
    if (node.type === 'Functn') {
      const identifier = node.children?.find((c) => c.type === 'Identifier');
      if (identifier?.text) functions.push(unquote(identifier.text));
    }
  }
  return { variables, functions };
}

const knownFunctions = new Map<string, boolean>();

/** Whether the library implements a function (it says "Not implemented: x" when it does not). */
function isImplemented(name: string): boolean {
  let known = knownFunctions.get(name);
  if (known === undefined) {
    // With the wrong number of arguments the library warns on the console and answers nothing:
    // the probe is only about whether the name is known, so the warning is not wanted.
    const warn = console.warn;
    console.warn = () => {};
    try {
      fhirpath.evaluate({}, `{}.${name}()`, {}, r4);
      known = true;
    } catch (error) {
      known = !String((error as Error).message).startsWith('Not implemented');
    } finally {
      console.warn = warn;
    }
    knownFunctions.set(name, known);
  }
  return known;
}

/**
 * What is wrong with an expression, found without a response: it does not parse, calls a
 * function the library does not have, needs a server, or uses a variable not declared before it
 * (`inScope`: the names of variables declared on the questionnaire and on the item's ancestors
 * and earlier on the item itself). [] when none.
 */
export function expressionProblems(expression: string, inScope: ReadonlySet<string>): string[] {
  let tree: ParseNode;
  try {
    tree = fhirpath.parse(expression) as ParseNode;
  } catch (error) {
    return [`does not parse as FHIRPath (${firstLine((error as Error).message)})`];
  }
  const problems: string[] = [];
  const { variables, functions } = namesIn(tree);
  for (const name of new Set(functions)) {
    if (NEEDS_SERVER.has(name)) problems.push(`uses ${name}(), which needs a terminology or FHIR server`);
    else if (!isImplemented(name)) problems.push(`uses ${name}(), which is not a FHIRPath function`);
  }
  for (const name of new Set(variables)) {
    if (SERVER_VARIABLES.has(name)) problems.push(`uses %${name}, which needs a terminology or FHIR server`);
    else if (!FIXED_VARIABLES.has(name) && !inScope.has(name) && !/^(vs|ext)-/.test(name)) {
      problems.push(`uses %${name}, which is not declared before it`);
    }
  }
  return problems;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

type Compiled = (resource: unknown, env: Record<string, unknown>) => unknown[];
const compiled = new Map<string, Compiled>();
const MAX_COMPILED = 2_000;

/**
 * Evaluates an expression (already checked by `expressionProblems`) against `base` with `env` as
 * its variables. Throws the library's error when evaluation fails.
 */
export function evaluateExpression(
  expression: string,
  base: unknown,
  env: Record<string, unknown>,
): unknown[] {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = fhirpath.compile(expression, r4) as unknown as Compiled;
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expression, fn);
  }
  // The library annotates what it reads; a copy keeps the caller's response as it was.
  return fn(structuredClone(base), env);
}
