import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getSessionUser } from "~/auth/session.server";
import { OneButtonForm } from "~/components/one-button-form";
import { administeredOrganisations } from "~/licensing/overview.server";
import { ledUnits } from "~/licensing/people.server";
import { translator, useLanguage, useT, type Language } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import appStyles from "~/styles/app.css";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", type: "image/svg+xml", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Rettidig" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, language] = await Promise.all([getSessionUser(request), getLanguage(request)]);
  const isAdmin = user ? administeredOrganisations(user).length > 0 : false;
  const isLeader = user ? ledUnits(user).length > 0 : false;
  return json({
    user: user && { name: user.name, email: user.email, isAdmin, isLeader, isOwner: user.platformRole === "owner" },
    language,
  });
}

function Header({ user }: { user: { name: string; isAdmin: boolean; isLeader: boolean; isOwner: boolean } | null }) {
  const t = useT();
  const otherLanguage: Language = useLanguage() === "da" ? "en" : "da";
  const location = useLocation();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={user ? "/kurser" : "/"} className="brand">
          <span className="brand__mark" aria-hidden="true">
            R
          </span>
          <span className="brand__name">{t("app.name")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="site-nav">
          {user ? (
            <Link to="/kurser" className="site-nav__link">
              {t("nav.myCourses")}
            </Link>
          ) : null}
          {user ? (
            <Link to="/moede" className="site-nav__link">
              {t("nav.meeting")}
            </Link>
          ) : null}
          {user?.isAdmin ? (
            <Link to="/administration" className="site-nav__link">
              {t("nav.administration")}
            </Link>
          ) : null}
          {user?.isLeader ? (
            <Link to="/leder" className="site-nav__link">
              {t("nav.leader")}
            </Link>
          ) : null}
          {user?.isOwner ? (
            <>
              <Link to="/ejer/fakturaer" className="site-nav__link">
                {t("nav.owner")}
              </Link>
              <Link to="/ejer/priser" className="site-nav__link">
                {t("nav.ownerPrices")}
              </Link>
              <Link to="/ejer/studie" className="site-nav__link">
                {t("nav.ownerStudio")}
              </Link>
              <Link to="/ejer/feedback" className="site-nav__link">
                {t("nav.ownerFeedback")}
              </Link>
              <Link to="/ejer/maaling" className="site-nav__link">
                {t("measurementReport.nav")}
              </Link>
              <Link to="/ejer/statistik" className="site-nav__link">
                {t("nav.ownerStatistics")}
              </Link>
            </>
          ) : null}
          {user ? (
            <Link to="/mine-data" className="site-nav__link">
              {t("personalData.nav")}
            </Link>
          ) : null}
          {!user || user.isAdmin ? (
            <Link to="/priser" className="site-nav__link">
              {t("nav.prices")}
            </Link>
          ) : null}
          <Form method="post" action="/sprog" className="inline-form">
            <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
            <button type="submit" name="language" value={otherLanguage} lang={otherLanguage} className="link-button">
              <span aria-hidden="true">{t("lang.switchTo")}</span>
              <span className="visually-hidden">{t("lang.switchToHint")}</span>
            </button>
          </Form>
          {user ? (
            <OneButtonForm action="/log-ud">{t("nav.signOut")}</OneButtonForm>
          ) : (
            <Link to="/log-ind" className="site-nav__link">
              {t("nav.signIn")}
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const language: Language = data?.language ?? "da";
  const t = translator(language);
  const nonce = useNonce();
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t("app.skipToContent")}
        </a>
        <Header user={data?.user ?? null} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <nav className="site-footer__inner" aria-label={t("footer.nav")}>
            <Link to="/tilgaengelighed" className="site-footer__link">
              {t("footer.accessibility")}
            </Link>
          </nav>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
