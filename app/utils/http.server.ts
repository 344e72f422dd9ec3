import { parseWithZod } from "@conform-to/zod";
import { json } from "@remix-run/node";
import type { ZodTypeAny } from "zod";

/** Throws a 4xx response with a message for the error boundary when the condition does not hold. */
export function invariantResponse(
  condition: unknown,
  message: string,
  init: { status: number } = { status: 400 },
): asserts condition {
  if (!condition) {
    throw json({ message }, { status: init.status, headers: { "Cache-Control": "no-store" } });
  }
}

const ORIGIN = "http://rettidig.invalid";

function hasControlCharacter(value: string) {
  return [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

/**
 * Only paths on this site, so a crafted ?redirectTo= cannot send a user elsewhere. Parsing it
 * the way a browser would catches tricks like "/\t/evil.example"; the result is re-encoded so
 * it is always safe in a Location header.
 */
export function safeRedirectPath(value: unknown, fallback = "/kurser"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\\") || hasControlCharacter(value)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

function unreadableForm() {
  return json({ message: "Formularen kunne ikke læses. Genindlæs siden, og prøv igen." }, { status: 400, headers: { "Cache-Control": "no-store" } });
}

/** The submitted form, or a 400 in Danish when the body is not a form at all. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw unreadableForm();
  }
}

/**
 * parseWithZod for actions. Conform throws on a list or validation command (`__intent__`) it
 * cannot read; that is bad input, so it gets the same 400 as a body that is not a form.
 */
export function parseSubmission<Schema extends ZodTypeAny>(formData: FormData, schema: Schema) {
  try {
    return parseWithZod(formData, { schema });
  } catch {
    throw unreadableForm();
  }
}
