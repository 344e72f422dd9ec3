import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { recordAccess } from "~/privacy/access-log.server";
import { ownMunicipalityOf } from "~/privacy/person-access.server";
import { personalDataPdf } from "~/privacy/personal-data-files.server";
import { personalDataOf } from "~/privacy/personal-data.server";
import { invariantResponse } from "~/utils/http.server";

/** The signed-in person's own data as a PDF file; there is no way to ask for anyone else's here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = personalDataOf(user.id);
  invariantResponse(data, "error.notFound", { status: 404 });
  // The one write a loader may make: the access log notes that personal data left the platform.
  recordAccess({
    viewerId: user.id,
    organisationId: ownMunicipalityOf(user.id),
    action: "exportOwnData",
    format: "pdf",
  });
  return await personalDataPdf(data, "mine-data.pdf");
}
