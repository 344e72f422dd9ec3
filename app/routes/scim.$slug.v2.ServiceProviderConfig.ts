import type { LoaderFunctionArgs } from "@remix-run/node";
import { ScimError, scimJson } from "~/scim/errors.server";
import { answerScim } from "~/scim/request.server";
import { serviceProviderConfig } from "~/scim/resources.server";
import { authenticateScim } from "~/scim/tokens.server";

/** What this SCIM endpoint supports; Entra ID reads it when the admin tests the connection. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => scimJson(serviceProviderConfig(authenticateScim(request, params.slug).slug)));

export const action = ({ request, params }: LoaderFunctionArgs) =>
  answerScim(request, () => {
    authenticateScim(request, params.slug);
    throw new ScimError(405, "scim.error.method");
  });
