import { demoEmails } from "~/cli/seed/accounts";
import * as groups from "~/routes/scim.$slug.v2.Groups";
import * as group from "~/routes/scim.$slug.v2.Groups_.$id";
import * as config from "~/routes/scim.$slug.v2.ServiceProviderConfig";
import * as users from "~/routes/scim.$slug.v2.Users";
import * as user from "~/routes/scim.$slug.v2.Users_.$id";
import { issueScimToken } from "~/scim/tokens.server";
import { request, routeArgs, userIdByEmail } from "./requests";

/** A fresh token for Demo Kommune (id 1), made by its admin as the admin page does. */
export function demoScimToken(now = new Date()): string {
  const token = issueScimToken({ id: userIdByEmail(demoEmails.admin) }, 1, now);
  if (token === "forbidden") throw new Error("The demo admin could not make a SCIM token");
  return token;
}

type Call = { token: string; slug?: string; body?: unknown; rawBody?: string };

/**
 * Calls a SCIM route as Entra ID does: bearer token, application/scim+json. The address picks the
 * route module; list and create go to the collection, the rest to one resource by its id.
 */
export async function scim(method: string, path: string, { token, slug = "demo-kommune", body, rawBody }: Call) {
  const url = `/scim/${slug}/v2${path}`;
  const headers = new Headers({ Authorization: `Bearer ${token}`, Accept: "application/scim+json" });
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) {
    headers.set("Content-Type", "application/scim+json; charset=utf-8");
    headers.set("Content-Length", String(Buffer.byteLength(payload)));
  }
  const req = request(url, { method, headers, body: payload });
  const [, resource = "", id] = /^\/(Users|Groups|ServiceProviderConfig)(?:\/([^/?]+))?/.exec(path) ?? [];
  const module = { Users: id ? user : users, Groups: id ? group : groups, ServiceProviderConfig: config }[resource];
  if (!module) throw new Error(`No SCIM route for ${path}`);
  const args = routeArgs(req, { slug, ...(id && { id }) });
  return method === "GET" ? module.loader(args) : module.action(args);
}

/** The JSON of a SCIM answer, its status and content type checked first. */
export async function scimJsonOf<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`Expected ${status}, got ${response.status}: ${text.slice(0, 300)}`);
  expect(response.headers.get("Content-Type")).toBe("application/scim+json");
  return JSON.parse(text) as T;
}
