import HandlebarsRuntime from 'handlebars/runtime';

/*
 * Handlebars' runtime, all that rendering needs: the function bundles run their templates precompiled
 * with it (see shared/domain/handlebars-template.ts), and views mark their markup with its SafeString.
 */

/** A template from `Handlebars.precompile`'s specification. */
export const precompiledTemplate = <View>(spec: TemplateSpecification): ((view: View) => string) =>
  HandlebarsRuntime.create().template<View>(spec);

/** Markup a template inserts as it is (`{{value}}` escapes everything else). */
export const SafeString = HandlebarsRuntime.SafeString;
export type SafeString = Handlebars.SafeString;
