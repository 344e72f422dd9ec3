import { json } from "@remix-run/node";

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

/** The submitted form, or a 400 in Danish when the body is not a form at all. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw json(
      { message: "Formularen kunne ikke læses. Genindlæs siden, og prøv igen." },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
}
