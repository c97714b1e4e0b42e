import nunjucks from 'nunjucks';

/** Distinct component renderings kept at most (each a few hundred bytes of HTML). */
const CAPACITY = 5_000;
/** Longer parameters are rendered each time: large ones are one-off content, not furniture. */
const MAX_KEY_LENGTH = 4_000;
/** Components rendered every time: the header's account menu carries the request's CSRF token. */
const NOT_KEPT = new Set(['header']);

const COMPONENT_MACRO = /^nhsuk\/components\/([a-z-]+)\/macro\.njk$/;
const MACRO_NAME = /\{%-?\s*macro\s+(\w+)\s*\(/;

type Macro = (params: unknown) => nunjucks.runtime.SafeString;

/**
 * The design system's components (nhsuk-frontend's macros) are pure: the same parameters give the
 * same HTML. Rendering one costs an include, a new frame per call and dozens of variable lookups,
 * and a page renders the same buttons, tags, form fields and footer on every request — most of the
 * time a page took to render. So each component's HTML is kept by its parameters (JSON) and reused.
 *
 * Templates are unchanged: they still import `nhsuk/components/<name>/macro.njk`. The view
 * environment's loader serves that file as a macro of the same name and signature that asks
 * `renderComponent` for the HTML; `renderComponent` renders misses with the real macro from a
 * second environment that loads nhsuk-frontend as published. A call with a body (`{% call %}`)
 * renders the component's own template directly, as the published macro does.
 */
export class ComponentCache {
  private readonly kept = new Map<string, nunjucks.runtime.SafeString>();
  private readonly macros = new Map<string, Macro>();

  constructor(private readonly published: nunjucks.Environment) {}

  render(component: string, macroName: string, params: unknown): nunjucks.runtime.SafeString {
    const macro = this.macro(component, macroName);
    if (NOT_KEPT.has(component)) return macro(params);
    let key: string;
    try {
      key = `${component}\u0000${JSON.stringify(params)}`;
    } catch {
      return macro(params);
    }
    if (key.length > MAX_KEY_LENGTH) return macro(params);
    const hit = this.kept.get(key);
    if (hit !== undefined) return hit;
    const html = macro(params);
    if (this.kept.size >= CAPACITY) {
      const oldest = this.kept.keys().next().value;
      if (oldest !== undefined) this.kept.delete(oldest);
    }
    this.kept.set(key, html);
    return html;
  }

  private macro(component: string, macroName: string): Macro {
    const key = `${component}/${macroName}`;
    let macro = this.macros.get(key);
    if (!macro) {
      let exported: Record<string, Macro> | undefined;
      // A template's exported macros; the callback runs before getExported returns (no async loader).
      const template = this.published.getTemplate(`nhsuk/components/${component}/macro.njk`) as unknown as {
        getExported(done: (error: Error | null, names: Record<string, Macro>) => void): void;
      };
      template.getExported((error, names) => {
        if (error) throw error;
        exported = names;
      });
      macro = exported?.[macroName];
      if (!macro) throw new Error(`nhsuk-frontend has no ${macroName} macro in ${component}.`);
      this.macros.set(key, macro);
    }
    return macro;
  }
}

/**
 * The loader for the view environment: every template as the file system has it, except each
 * nhsuk-frontend component macro, which becomes a call to `renderComponent` (see ComponentCache).
 */
export class ComponentLoader extends nunjucks.FileSystemLoader {
  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name);
    const component = COMPONENT_MACRO.exec(name)?.[1];
    const macroName = source ? MACRO_NAME.exec(source.src)?.[1] : undefined;
    if (!source || !component || !macroName) return source;
    return {
      ...source,
      src:
        `{% macro ${macroName}(params = {}) %}{% if caller %}` +
        `{%- include "nhsuk/components/${component}/template.njk" -%}` +
        `{% else %}{{ renderComponent("${component}", "${macroName}", params) }}{% endif %}{% endmacro %}`,
    };
  }
}
