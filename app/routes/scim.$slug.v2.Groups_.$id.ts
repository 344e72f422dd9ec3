import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError, scimJson, scimNoContent } from "~/scim/errors.server";
import { deleteScimGroup, getScimGroup, patchScimGroup } from "~/scim/groups.server";
import { answerScim, readScimBody } from "~/scim/request.server";
import { authenticateScim } from "~/scim/tokens.server";

/** One group of the municipality's directory: read, changed (PATCH: members and name) or deleted. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => scimJson(getScimGroup(authenticateScim(request, params.slug), params.id ?? "")));

export const action = ({ request, params }: ActionFunctionArgs) =>
  answerScim(request, async () => {
    const client = authenticateScim(request, params.slug);
    const id = params.id ?? "";
    switch (request.method) {
      case "PATCH":
        return scimJson(patchScimGroup(client, id, await readScimBody(request)));
      case "DELETE":
        deleteScimGroup(client, id);
        return scimNoContent();
      default:
        throw new ScimError(405, "scim.error.method");
    }
  });
