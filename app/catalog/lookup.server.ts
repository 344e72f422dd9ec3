import { invariantResponse } from "~/utils/http.server";
import type { CourseLookup, ModuleLookup } from "./catalog.server";

/** Turns a catalog lookup into the 404 or 403 a route should answer with. */
export function ensureFound<T extends CourseLookup | ModuleLookup>(lookup: T): Extract<T, { status: "ok" }> {
  invariantResponse(lookup.status !== "notFound", "error.notFound", { status: 404 });
  invariantResponse(lookup.status !== "forbidden", "refusal.courseForbidden", { status: 403 });
  return lookup as Extract<T, { status: "ok" }>;
}
