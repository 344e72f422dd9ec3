import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAccess } from "~/privacy/access-log.server";
import { requireAdministeredPerson } from "~/privacy/person-access.server";
import { personalDataJson } from "~/privacy/personal-data-files.server";
import { personalDataOf } from "~/privacy/personal-data.server";
import { invariantResponse } from "~/utils/http.server";

/** One of the admin's municipality's people's data as a JSON file, for handing to the person. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { admin, person } = await requireAdministeredPerson(request, params.userId);
  const data = personalDataOf(person.userId, { organisationId: person.organisationId });
  invariantResponse(data, "personalData.notFound", { status: 404 });
  // The one write a loader may make: the access log notes that personal data left the platform.
  recordAccess({
    viewerId: admin.id,
    organisationId: person.organisationId,
    action: "exportPersonData",
    format: "json",
  });
  return personalDataJson(data, `persondata-${person.userId}.json`);
}
