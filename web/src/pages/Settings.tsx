import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { ErrorState, Loading } from "../components/States";
import { LANGUAGES, useI18n, type Language } from "../i18n";
import { useSession } from "../session";
import { applyTheme, storedTheme, type Theme } from "../theme";

const EMAILS = ["film_completed", "film_failed", "credits_low", "upload_published", "payment_received"] as const;
interface Preferences { language: string; email: Record<(typeof EMAILS)[number], boolean> }

export default function Settings() {
  const { t, language, setLanguage } = useI18n();
  const { me } = useSession();
  const [theme, setTheme] = useState<Theme>(storedTheme());
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api<Preferences>("/me/preferences").then(setPrefs).catch((e) => setError(e instanceof ApiError ? e : null));
  }, []);

  async function save() {
    if (!prefs) return;
    setSaved(false);
    try {
      const { language, email } = await api<Preferences & { position?: number }>("/me/preferences", { method: "PUT", body: { language: prefs.language, email: prefs.email } });
      setPrefs({ language, email });
      setSaved(true);
    } catch (e) { setError(e instanceof ApiError ? e : null); }
  }

  return (
    <section>
      <h1>{t("settings.title")}</h1>
      <div className="grid">
        <div className="card">
          <h2>{t("settings.profile")}</h2>
          <dl className="summary">
            <dt>{t("auth.name")}</dt><dd>{me?.display_name}</dd>
            <dt>{t("auth.email")}</dt><dd>{me?.email}</dd>
          </dl>
        </div>
        <div className="card">
          <h2>{t("settings.appearance")}</h2>
          <div className="field">
            <label htmlFor="ui-language">{t("nav.language")}</label>
            <select id="ui-language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
            </select>
          </div>
          <fieldset>
            <legend>{t("settings.dark")}</legend>
            {(["system", "light", "dark"] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="theme" value={value} checked={theme === value}
                  onChange={() => { setTheme(value); applyTheme(value); }} />
                {value === "system" ? t("settings.system") : value === "dark" ? "☾" : "☀"} {value !== "system" ? value : ""}
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      <h2>{t("settings.emails")}</h2>
      {error ? <ErrorState error={error} /> : !prefs ? <Loading /> : (
        <div className="card">
          {EMAILS.map((k) => (
            <label key={k} className="check" style={{ display: "flex" }}>
              <input type="checkbox" checked={prefs.email[k] ?? false}
                onChange={(e) => { setPrefs({ ...prefs, email: { ...prefs.email, [k]: e.target.checked } }); setSaved(false); }} />
              {t(`settings.${k}`)}
            </label>
          ))}
          <div className="field">
            <label htmlFor="mail-language">{t("settings.mailLanguage")}</label>
            <select id="mail-language" value={prefs.language} onChange={(e) => setPrefs({ ...prefs, language: e.target.value })}>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
            </select>
          </div>
          <button type="button" className="primary" onClick={save}>{t("settings.save")}</button>
          {saved && <span role="status"> {t("settings.saved")}</span>}
        </div>
      )}
    </section>
  );
}
