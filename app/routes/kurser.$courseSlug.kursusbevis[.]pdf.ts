import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import { certificateRefusedAddress, heldCertificate } from "~/learning/certificates.server";
import { recordCourseProgress } from "~/training/cycles.server";
import { privateFileHeaders } from "~/utils/http.server";

/**
 * The signed-in person's own certificate for the course; there is no way to ask for anyone else's.
 * It is a download with no page of its own, so when there is nothing to download the person is
 * sent to the course page, which says why (or answers 404/403 for a course they cannot see).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const courseSlug = params.courseSlug ?? "";
  let certificate = heldCertificate(user.id, courseSlug);
  if (!certificate) {
    // A first certificate needs the course itself: access to it today, and every module complete.
    const found = findCourseForViewer(user, courseSlug);
    if (found.status !== "ok") return redirect(`/kurser/${encodeURIComponent(courseSlug)}`, 303);
    const result = recordCourseProgress(user.id, found.course.id);
    if (result.status !== "issued") return redirect(certificateRefusedAddress(courseSlug, result.status), 303);
    certificate = result.certificate;
  }
  const pdf = await renderCertificatePdf(certificate);
  return new Response(new Uint8Array(pdf), {
    headers: privateFileHeaders("application/pdf", `kursusbevis-${courseSlug}.pdf`),
  });
}
