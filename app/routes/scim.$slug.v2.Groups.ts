import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError, scimJson } from "~/scim/errors.server";
import { createScimGroup, listScimGroups } from "~/scim/groups.server";
import { answerScim, readScimBody } from "~/scim/request.server";
import { authenticateScim } from "~/scim/tokens.server";

/** The groups of the municipality's directory; the admin may tie each to a unit. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => scimJson(listScimGroups(authenticateScim(request, params.slug), new URL(request.url))));

export const action = ({ request, params }: ActionFunctionArgs) =>
  answerScim(request, async () => {
    const client = authenticateScim(request, params.slug);
    if (request.method !== "POST") throw new ScimError(405, "scim.error.method");
    const group = createScimGroup(client, await readScimBody(request));
    return scimJson(group, 201, { Location: group.meta.location });
  });
