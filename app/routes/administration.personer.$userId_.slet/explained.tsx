import { useT } from "~/i18n/i18n";

/** What the erasure does, in three parts, so the admin knows before typing the name. */
export function ErasureExplained() {
  const t = useT();
  const parts = [
    {
      heading: "erasure.deletedHeading",
      items: ["erasure.deleted.account", "erasure.deleted.traces", "erasure.deleted.links"],
    },
    {
      heading: "erasure.anonymousHeading",
      items: ["erasure.anonymous.figures", "erasure.anonymous.answers", "erasure.anonymous.certificates"],
    },
    { heading: "erasure.keptHeading", items: ["erasure.kept.invoices"] },
  ] as const;
  return (
    <>
      {parts.map((part) => (
        <section key={part.heading} className="card">
          <h2>{t(part.heading)}</h2>
          <ul>
            {part.items.map((item) => (
              <li key={item}>{t(item)}</li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
