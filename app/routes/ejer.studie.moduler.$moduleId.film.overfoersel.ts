import type { RouteHandle } from "~/utils/route-handle";

export const handle: RouteHandle = { requestBody: "subtitles" };

/**
 * Where the film page sends new subtitles with XMLHttpRequest to show its progress. It is the
 * page's own action: here, on a route without a page, its reply comes back as the JSON itself
 * instead of a rendered page, and the server reads no more than subtitles need. Films go in
 * pieces to ./dele instead.
 */
export { action } from "./ejer.studie.moduler.$moduleId.film";
