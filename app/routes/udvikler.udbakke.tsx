import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { desc } from "drizzle-orm";
import { outboxEmails } from "#db/schema";
import { requireOwner } from "~/auth/session.server";
import { db } from "~/db.server";
import { isProduction } from "~/env.server";
import { formatDateTime, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "outbox.title") },
  { name: "robots", content: "noindex" },
];

/**
 * Outside production, the course owner reads here the mail that would have been sent. Reset
 * links are in it, so nobody else may, not even on a test server.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  invariantResponse(!isProduction(), "error.notFound", { status: 404 });
  await requireOwner(request);
  const emails = db.select().from(outboxEmails).orderBy(desc(outboxEmails.id)).limit(50).all();
  return json({ emails }, { headers: { "Cache-Control": "no-store" } });
}

export default function Outbox() {
  const t = useT();
  const language = useLanguage();
  const { emails } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("outbox.title")}</h1>
      {emails.length === 0 ? <p>{t("outbox.empty")}</p> : null}
      {emails.map((email) => (
        <article key={email.id} className="card outbox-mail" style={{ marginBottom: "1rem" }}>
          <h2>{email.subject}</h2>
          <p>
            {t("outbox.to")}: {email.to} · {t("outbox.sent")}: {formatDateTime(language, new Date(email.createdAt))}
          </p>
          <pre>{email.text}</pre>
        </article>
      ))}
    </div>
  );
}
