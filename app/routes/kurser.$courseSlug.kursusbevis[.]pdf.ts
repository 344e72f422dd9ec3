import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { findCourseForViewer } from "~/catalog/catalog.server";
import { ensureFound } from "~/catalog/lookup.server";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import { issueCertificate } from "~/learning/certificates.server";
import { invariantResponse } from "~/utils/http.server";

/** The signed-in person's own certificate for the course; there is no way to ask for anyone else's. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { course } = ensureFound(findCourseForViewer(user, params.courseSlug ?? ""));
  const result = issueCertificate(user.id, course.id);
  invariantResponse(result.status !== "incomplete", "Du får dit kursusbevis, når du har set alle kursets film og bestået dets quizzer.", { status: 409 });
  invariantResponse(result.status === "issued", "Kursusbeviser udstedes til medarbejdere, der har kurset gennem deres kommune.", { status: 409 });
  const pdf = await renderCertificatePdf(result.certificate);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="kursusbevis-${course.slug}.pdf"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
