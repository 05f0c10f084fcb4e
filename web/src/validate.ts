import type { Translate } from "./i18n";

/** Form checks shared by pages; each returns the message to show, or null when the value is fine. */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

export function emailError(value: string, t: Translate): string | null {
  if (!value.trim()) return t("auth.required");
  return EMAIL.test(value.trim()) ? null : t("auth.emailInvalid");
}

export function passwordError(value: string, t: Translate, minimum = 8): string | null {
  if (!value) return t("auth.required");
  return value.length >= minimum ? null : t("auth.passwordShort", { n: value.length });
}

export function countWords(text: string): number {
  const words = text.trim().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*/gu);
  return words ? words.length : 0;
}
