import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import { heldCertificate, issueCertificate, type Certificate } from "~/learning/certificates.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The signed-in person's own certificate for the course; there is no way to ask for anyone else's. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const courseSlug = params.courseSlug ?? "";
  const certificate = heldCertificate(user.id, courseSlug) ?? issueNow(user, courseSlug);
  const pdf = await renderCertificatePdf(certificate);
  return new Response(new Uint8Array(pdf), { headers: privateFileHeaders("application/pdf", `kursusbevis-${courseSlug}.pdf`) });
}

/** A first certificate needs the course itself: access to it today, and every module complete. */
function issueNow(user: Awaited<ReturnType<typeof requireUser>>, courseSlug: string): Certificate {
  const { course } = ensureFound(findCourseForViewer(user, courseSlug));
  const result = issueCertificate(user.id, course.id);
  invariantResponse(result.status !== "incomplete", "Du får dit kursusbevis, når du har set alle kursets film og bestået dets quizzer.", { status: 409 });
  invariantResponse(result.status === "issued", "Kursusbeviser udstedes til medarbejdere, der har kurset gennem deres kommune.", { status: 409 });
  return result.certificate;
}
