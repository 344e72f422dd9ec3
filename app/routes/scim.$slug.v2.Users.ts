import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError, scimJson } from "~/scim/errors.server";
import { answerScim, readScimBody } from "~/scim/request.server";
import { authenticateScim } from "~/scim/tokens.server";
import { userFromResource } from "~/scim/user-input.server";
import { createScimUser, listScimUsers } from "~/scim/users.server";

/** The municipality's directory (Entra ID) looks people up here and creates them (SCIM 2.0). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => scimJson(listScimUsers(authenticateScim(request, params.slug), new URL(request.url))));

export const action = ({ request, params }: ActionFunctionArgs) =>
  answerScim(request, async () => {
    const client = authenticateScim(request, params.slug);
    if (request.method !== "POST") throw new ScimError(405, "scim.error.method");
    const user = createScimUser(client, userFromResource(await readScimBody(request)));
    return scimJson(user, 201, { Location: user.meta.location });
  });
