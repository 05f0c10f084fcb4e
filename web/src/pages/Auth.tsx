import { useState, type FormEvent } from "react";
import { api, ApiError, type Registered } from "../api";
import { Field } from "../components/Field";
import { LANGUAGES, useI18n } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { useSession } from "../session";
import { emailError, passwordError } from "../validate";

export default function Auth({ mode }: { mode: "login" | "signup" }) {
  const { t, language } = useI18n();
  const { logIn } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [filmLanguage, setFilmLanguage] = useState<string>(language);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === "signup";

  const errors = {
    email: emailError(email, t) ?? failure?.fieldMessage("email") ?? null,
    password: signup ? passwordError(password, t) : password ? null : t("auth.required"),
    name: signup && !name.trim() ? t("auth.nameMissing") : null,
  };
  const show = (field: keyof typeof errors) => (touched[field] ? errors[field] : null);
  const touch = (field: string) => setTouched((s) => ({ ...s, [field]: true }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched({ email: true, password: true, name: true });
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      if (signup) {
        await api<Registered>("/auth/register", {
          method: "POST", body: { email, password, display_name: name.trim(), language: filmLanguage },
        });
      }
      await logIn(email, password);
      navigate(location.searchParams.get("next") ?? (signup ? "/new?template=story" : "/dashboard"), true);
    } catch (err) {
      setFailure(err instanceof ApiError ? err : null);
      setBusy(false);
    }
  }

  return (
    <section className="narrow card">
      <h1>{signup ? t("auth.signupTitle") : t("auth.loginTitle")}</h1>
      <form onSubmit={submit} noValidate>
        {signup && (
          <Field label={t("auth.name")} value={name} autoComplete="name" error={show("name")}
            onChange={(e) => { setName(e.target.value); touch("name"); }} />
        )}
        <Field label={t("auth.email")} type="email" dir="ltr" value={email} autoComplete="email" error={show("email")}
          onChange={(e) => { setEmail(e.target.value); setFailure(null); }} onBlur={() => touch("email")} />
        <Field label={t("auth.password")} type="password" value={password} error={show("password")}
          autoComplete={signup ? "new-password" : "current-password"}
          onChange={(e) => { setPassword(e.target.value); touch("password"); }} />
        {signup && (
          <div className="field">
            <label htmlFor="film-language">{t("auth.language")}</label>
            <select id="film-language" value={filmLanguage} onChange={(e) => setFilmLanguage(e.target.value)}>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
            </select>
          </div>
        )}
        {failure && !failure.fieldMessage("email") && (
          <p className="error-box" role="alert">{failure.problem.detail}</p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {signup ? t("auth.submitSignup") : t("auth.submitLogin")}
        </button>
      </form>
      <p className="muted">
        {signup ? t("auth.haveAccount") : t("auth.noAccount")}{" "}
        <Link to={signup ? "/login" : "/signup"}>{signup ? t("nav.login") : t("nav.signup")}</Link>
      </p>
    </section>
  );
}
