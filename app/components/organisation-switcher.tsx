import { Link } from "@remix-run/react";

/**
 * For an admin of several municipalities: which one the page shows, as links that keep the rest of
 * the page's address out (each municipality's page starts afresh).
 */
export function OrganisationSwitcher({
  organisations,
  currentId,
  label,
}: {
  organisations: { id: number; name: string }[];
  currentId: number;
  label: string;
}) {
  if (organisations.length < 2) return null;
  return (
    <nav className="button-row" aria-label={label}>
      {organisations.map((o) => (
        <Link key={o.id} to={`?organisation=${o.id}`} aria-current={o.id === currentId ? "page" : undefined}>
          {o.name}
        </Link>
      ))}
    </nav>
  );
}
