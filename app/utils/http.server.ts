import { parseWithZod } from "@conform-to/zod";
import { json } from "@remix-run/node";
import type { ZodTypeAny } from "zod";
import { idFromPath } from "./form-schema";

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

/** The posted form's intent, which must name one of the action's schemas; anything else is a 400. */
export function formIntent<Schemas extends Record<string, ZodTypeAny>>(form: FormData, schemas: Schemas): keyof Schemas & string {
  const intent = String(form.get("intent"));
  invariantResponse(Object.hasOwn(schemas, intent), "Ukendt handling.");
  return intent;
}

/** The id a route's address names, or a 404 with the message when it names none. */
export function requirePathId(value: string | undefined, notFound: string): number {
  const id = idFromPath(value);
  invariantResponse(id !== null, notFound, { status: 404 });
  return id;
}

/** Headers for a file only the person asking may have: saved as a download, never cached or sniffed. */
export const privateFileHeaders = (contentType: string, name: string) => ({
  "Content-Type": contentType,
  "Content-Disposition": `attachment; filename="${name}"`,
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
});

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

// No form has lists this long; Conform would build an array up to any index it is sent, so q[4000000] would cost gigabytes.
const MAX_LIST_INDEX = 99;
const hasHugeListIndex = (formData: FormData) =>
  [...formData.keys()].some((name) => [...name.matchAll(/\[(\d+)\]/g)].some((match) => match[1]!.length > 2 || Number(match[1]) > MAX_LIST_INDEX));

/**
 * parseWithZod for actions. Conform throws on a list or validation command (`__intent__`) it
 * cannot read; that is bad input, so it gets the same 400 as a body that is not a form.
 */
export function parseSubmission<Schema extends ZodTypeAny>(formData: FormData, schema: Schema) {
  if (hasHugeListIndex(formData)) throw unreadableForm();
  try {
    return parseWithZod(formData, { schema });
  } catch {
    throw unreadableForm();
  }
}
