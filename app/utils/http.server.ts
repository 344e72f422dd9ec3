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

/** Only same-site relative paths, so a crafted ?redirectTo= cannot send a user to another site. */
export function safeRedirectPath(value: unknown, fallback = "/kurser"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return fallback;
  }
  return value;
}
