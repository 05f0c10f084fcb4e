import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import en, { type Messages } from "./en";

/** The interface languages; English ships in the first load, the others load when chosen. */
export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "hi", name: "हिन्दी" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
  { code: "ar", name: "العربية" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const LOADERS: Record<Exclude<Language, "en">, () => Promise<{ default: Messages }>> = {
  hi: () => import("./hi"),
  es: () => import("./es"),
  fr: () => import("./fr"),
  ar: () => import("./ar"),
};

export type Key = keyof Messages;
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function isRtl(language: string): boolean {
  return ["ar", "he", "fa", "ur"].includes(language.split("-")[0]);
}

export function pickLanguage(candidates: readonly string[]): Language {
  for (const c of candidates) {
    const base = c.toLowerCase().split("-")[0];
    if (LANGUAGES.some((l) => l.code === base)) return base as Language;
  }
  return "en";
}

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  number: (n: number, options?: Intl.NumberFormatOptions) => string;
  money: (cents: number, currency: string) => string;
  date: (iso: string | Date, options?: Intl.DateTimeFormatOptions) => string;
  duration: (seconds: number) => string;
  /** A language's name in the interface language ("hi" -> "Hindi", "हिन्दी", "hindi"...). */
  languageName: (code: string) => string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE = "filmstudio.language";

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(
    () => initial ?? pickLanguage([localStorage.getItem(STORAGE) ?? "", ...(navigator.languages ?? [])]),
  );
  const [messages, setMessages] = useState<Messages>(en);

  useEffect(() => {
    let live = true;
    if (language === "en") setMessages(en);
    else LOADERS[language]().then((m) => { if (live) setMessages({ ...en, ...m.default }); });
    document.documentElement.lang = language;
    document.documentElement.dir = isRtl(language) ? "rtl" : "ltr";
    return () => { live = false; };
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE, next);
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const locale = language === "hi" ? "hi-IN" : language === "ar" ? "ar-EG" : language;
    return {
      language,
      setLanguage,
      t: (key, vars) => format(messages[key] ?? en[key] ?? key, vars),
      number: (n, options) => new Intl.NumberFormat(locale, options).format(n),
      money: (cents, currency) => new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(cents / 100),
      date: (iso, options) => new Intl.DateTimeFormat(locale, options ?? { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
      duration: (seconds) => {
        const s = Math.max(0, Math.round(seconds));
        const m = Math.floor(s / 60);
        const fmt = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 });
        return `${new Intl.NumberFormat(locale).format(m)}:${fmt.format(s % 60)}`;
      },
      languageName: (code) => {
        try { return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code; } catch { return code; }
      },
    };
  }, [language, messages, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
