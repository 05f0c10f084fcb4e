import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n";

/** Plays a preview clip; one at a time across the page (starting one stops the others). */
let playing: HTMLAudioElement | null = null;

export function AudioButton({ src, label }: { src: string; label: string }) {
  const { t } = useI18n();
  const audio = useRef<HTMLAudioElement | null>(null);
  const [state, setState] = useState<"idle" | "loading" | "playing" | "error">("idle");
  useEffect(() => () => audio.current?.pause(), []);
  useEffect(() => { audio.current?.pause(); audio.current = null; setState("idle"); }, [src]);

  function toggle() {
    if (state === "playing" || state === "loading") { audio.current?.pause(); setState("idle"); return; }
    if (!audio.current) {
      const a = new Audio(src);
      a.onplaying = () => setState("playing");
      a.onended = a.onpause = () => setState("idle");
      a.onerror = () => setState("error");
      audio.current = a;
    }
    if (playing && playing !== audio.current) playing.pause();
    playing = audio.current;
    setState("loading");
    audio.current.play().catch(() => setState("error"));
  }

  return (
    <button type="button" onClick={toggle} aria-label={`${t("wizard.preview")}: ${label}`} aria-pressed={state === "playing"}
      data-state={state} title={state === "error" ? t("state.error") : t("wizard.preview")}>
      {state === "loading" ? <span className="spinner" aria-hidden="true" /> : state === "playing" ? "■" : "▶"}
      <span className="sr-only">{state === "loading" ? t("wizard.previewLoading") : ""}</span>
    </button>
  );
}
