import { ScimError, scimErrorResponse } from "./errors.server";

/**
 * The largest SCIM body read. Entra ID sends one person, or a group's member changes in batches,
 * each a few kilobytes; this leaves room for large batches and stays under the server's own
 * 1 MiB limit for forms, so an oversized body gets the SCIM answer rather than the HTML page.
 */
export const SCIM_MAX_BODY_BYTES = 256 * 1024;

/** The most resources one list answer holds; also said in ServiceProviderConfig. */
export const SCIM_MAX_RESULTS = 100;

/** Reads the JSON body through the cap; a body that is no JSON object is 400 invalidSyntax. */
export async function readScimBody(request: Request): Promise<Record<string, unknown>> {
  if (Number(request.headers.get("Content-Length") ?? 0) > SCIM_MAX_BODY_BYTES) {
    throw new ScimError(413, "scim.error.tooLarge");
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > SCIM_MAX_BODY_BYTES) throw new ScimError(413, "scim.error.tooLarge");
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ScimError(400, "scim.error.invalidJson", "invalidSyntax");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ScimError(400, "scim.error.invalidJson", "invalidSyntax");
  }
  return body as Record<string, unknown>;
}

export type EqualityFilter = { attribute: string; value: string };

/**
 * The one filter form a directory needs to find what it already made: `<attribute> eq "<value>"`
 * on one of the attributes given (compared without regard to case, as SCIM names are). Anything
 * else, `and`, `or` and other operators included, is 400 invalidFilter rather than a wrong answer.
 */
export function parseEqualityFilter(filter: string | null, attributes: readonly string[]): EqualityFilter | null {
  if (filter === null || filter.trim() === "") return null;
  const match = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  const attribute = attributes.find((name) => name.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !attribute) throw new ScimError(400, "scim.error.invalidFilter", "invalidFilter");
  try {
    return { attribute, value: JSON.parse(`"${match[2]}"`) as string };
  } catch {
    throw new ScimError(400, "scim.error.invalidFilter", "invalidFilter");
  }
}

function whole(value: string | null, fallback: number) {
  if (value === null || value === "") return fallback;
  if (!/^-?\d{1,9}$/.test(value)) throw new ScimError(400, "scim.error.invalidPaging", "invalidValue");
  return Number(value);
}

/** SCIM paging: startIndex counts from 1 and below 1 means 1; count is capped, and below 0 means 0. */
export function listPage(url: URL) {
  const startIndex = Math.max(1, whole(url.searchParams.get("startIndex"), 1));
  const count = Math.min(SCIM_MAX_RESULTS, Math.max(0, whole(url.searchParams.get("count"), SCIM_MAX_RESULTS)));
  return { startIndex, count, offset: startIndex - 1 };
}

/**
 * Runs a SCIM request's work and answers its refusals as SCIM errors. Anything else is a defect:
 * logged, and answered with a SCIM 500 that says nothing about the inside. A body refused before
 * it was read (a wrong token) is read and dropped when it is within the cap, as the server does
 * with its own refusals, so the client gets the answer and keeps its connection; a larger one
 * closes the connection instead of being read.
 */
export async function answerScim(request: Request, work: () => Promise<Response> | Response): Promise<Response> {
  let refusal: ScimError;
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ScimError)) console.error("SCIM-forespørgslen fejlede:", error);
    refusal = error instanceof ScimError ? error : new ScimError(500, "scim.error.internal");
  }
  const response = scimErrorResponse(refusal);
  if (request.body !== null && !request.bodyUsed) {
    const declared = request.headers.get("Content-Length");
    if (declared === null || Number(declared) <= SCIM_MAX_BODY_BYTES) await request.arrayBuffer().catch(() => null);
    else response.headers.set("Connection", "close");
  }
  return response;
}
