import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth/session.server";
import { requestedOrganisation } from "~/licensing/overview.server";
import { processingAnnex } from "~/privacy/annex.server";
import { renderAnnexPdf } from "~/privacy/annex-pdf.server";
import { privateFileHeaders } from "~/utils/http.server";

/** The processing annex of one of the admin's municipalities, as the PDF attached to the agreement. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation } = requestedOrganisation(user, request);
  const pdf = await renderAnnexPdf(processingAnnex(organisation));
  return new Response(new Uint8Array(pdf), {
    headers: privateFileHeaders("application/pdf", "databehandling.pdf"),
  });
}
