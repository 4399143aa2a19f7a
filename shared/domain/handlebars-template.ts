import Handlebars from 'handlebars';

/*
 * How the product's Handlebars templates are made. Each is declared with `handlebarsTemplate` in a module
 * named `*.hbs.ts` that exports templates only; the function bundles get those modules precompiled at
 * build time (infra/constructs/function-bundle.ts) and carry Handlebars' runtime, not its compiler
 * (60 KB, parsed at every cold start). Sources, tests and the CLI compile them here, on first use.
 */

/** Renders a view; holds what it was made from, so a build can precompile it. */
export interface HandlebarsTemplate<View> {
  (view: View): string;
  readonly source: string;
  readonly options: CompileOptions;
}

/**
 * A template compiled on first use, in its own Handlebars environment: no helper or partial registered
 * by anyone else reaches it.
 */
export function handlebarsTemplate<View>(source: string, options: CompileOptions): HandlebarsTemplate<View> {
  let render: HandlebarsTemplateDelegate<View> | undefined;
  const template = (view: View): string => {
    render ??= Handlebars.create().compile<View>(source, options);
    return render(view);
  };
  return Object.assign(template, { source, options });
}

/** True when a module's export was made by `handlebarsTemplate`. */
export const isHandlebarsTemplate = (value: unknown): value is HandlebarsTemplate<unknown> =>
  typeof value === 'function' &&
  typeof (value as { source?: unknown }).source === 'string' &&
  typeof (value as { options?: unknown }).options === 'object';
