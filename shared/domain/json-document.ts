import type { z } from 'zod';

/** Far beyond any configuration document of the product (a policy with hundreds of approvers); larger is a mistake. */
export const MAX_DOCUMENT_CHARS = 64 * 1024;

/**
 * A configuration document (JSON already parsed, as cdk.json gives it) validated by its schema, or an Error
 * naming where it came from (`source`) and each wrong field: synthesis and a function's cold start report a
 * document the same way. `what` names the kind, with its article ("an arrears policy").
 */
export function validDocument<T>(schema: z.ZodType<T>, json: unknown, source: string, what: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
  throw new Error(`${source} is not ${what}: ${issues.join('; ')}`);
}

/** validDocument of a document's JSON text, refused first if it is not JSON or longer than MAX_DOCUMENT_CHARS. */
export function parseJsonDocument<T>(schema: z.ZodType<T>, text: string, source: string, what: string): T {
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new Error(`${source} is not ${what}: ${text.length} characters, more than ${MAX_DOCUMENT_CHARS}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  return validDocument(schema, json, source, what);
}
