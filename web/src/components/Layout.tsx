import { useState, type ReactNode } from "react";
import { LANGUAGES, useI18n, type Language } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { useSession } from "../session";
import { applyTheme, isDark, storedTheme } from "../theme";

export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { me, logOut } = useSession();
  const { pathname } = useLocation();
  const [dark, setDark] = useState(() => isDark(storedTheme()));
  const links: Array<[string, string]> = me
    ? [["/dashboard", t("nav.dashboard")], ["/new", t("nav.new")], ["/credits", t("nav.credits")], ["/youtube", t("nav.youtube")],
       ["/notifications", t("nav.notifications")], ["/settings", t("nav.settings")], ...(me.role === "admin" ? [["/admin", t("nav.admin")] as [string, string]] : []), ["/help", t("nav.help")]]
    : [["/help", t("nav.help")], ["/login", t("nav.login")], ["/signup", t("nav.signup")]];
  return (
    <>
      <a className="skip" href="#main">{t("nav.skip")}</a>
      <header className="topbar">
        <Link to={me ? "/dashboard" : "/"} className="brand">🎬 {t("app.name")}</Link>
        <nav aria-label="main">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}><Link to={to} aria-current={pathname.startsWith(to) ? "page" : undefined}>{label}</Link></li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <label className="sr-only" htmlFor="language">{t("nav.language")}</label>
          <select id="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.name}</option>)}
          </select>
          <button type="button" aria-pressed={dark} title={t("nav.theme")} aria-label={t("nav.theme")}
            onClick={() => { applyTheme(dark ? "light" : "dark"); setDark(!dark); }}>{dark ? "☀" : "☾"}</button>
          {me && <button type="button" onClick={async () => { await logOut(); navigate("/"); }}>{t("nav.logout")}</button>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
