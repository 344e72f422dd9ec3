import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError, scimJson, scimNoContent } from "~/scim/errors.server";
import { answerScim, readScimBody } from "~/scim/request.server";
import { authenticateScim } from "~/scim/tokens.server";
import { userChangesFromPatch, userFromResource } from "~/scim/user-input.server";
import { deleteScimUser, getScimUser, updateScimUser } from "~/scim/users.server";

/** One person of the municipality's directory: read, replaced (PUT), changed (PATCH) or deleted. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => scimJson(getScimUser(authenticateScim(request, params.slug), params.id ?? "")));

export const action = ({ request, params }: ActionFunctionArgs) =>
  answerScim(request, async () => {
    const client = authenticateScim(request, params.slug);
    const id = params.id ?? "";
    switch (request.method) {
      case "PUT":
        return scimJson(updateScimUser(client, id, userFromResource(await readScimBody(request))));
      case "PATCH":
        return scimJson(updateScimUser(client, id, userChangesFromPatch(await readScimBody(request))));
      case "DELETE":
        deleteScimUser(client, id);
        return scimNoContent();
      default:
        throw new ScimError(405, "scim.error.method");
    }
  });
