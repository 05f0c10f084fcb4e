import { useId, type InputHTMLAttributes, type ReactNode } from "react";

/** A labelled input that shows what to fix as you type (once touched) and links the message for screen readers. */
export function Field({ label, error, hint, children, ...input }: {
  label: string; error?: string | null; hint?: ReactNode; children?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const described = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children ?? <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />}
      {hint && <small id={`${id}-hint`} className="muted">{hint}</small>}
      {error && <small id={`${id}-error`} className="field-error" role="alert">{error}</small>}
    </div>
  );
}
