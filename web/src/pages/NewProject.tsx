import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, upload, type Accepted, type Estimate, type VoiceChoice } from "../api";
import { AudioButton } from "../components/AudioButton";
import { CastMember, type Casting, type LibraryCharacter, type ScriptCharacter } from "../components/CastMember";
import { FileUpload, type Chosen } from "../components/FileUpload";
import { Field } from "../components/Field";
import { ProgressBar } from "../components/ProgressBar";
import { ErrorState, Loading } from "../components/States";
import { useI18n } from "../i18n";
import { navigate, useLocation } from "../router";
import { useApi } from "../useApi";
import { useDebounced } from "../useDebounced";
import { countWords } from "../validate";

interface Template { name: string; format: string; script: string; words: number }
interface Voice { id: string; label: string; language: string; age: string; gender: string; preview_url: string }
interface Music { id: string; label: string; preview_url: string | null }
const IMAGES = "image/jpeg,image/png,image/webp";
const AUDIO = "audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3";
interface ScriptChecked { language: string; scenes: number; words: number; estimated_seconds: number; characters: ScriptCharacter[]; warnings: string[] }

const ASPECTS = ["16:9", "9:16", "1:1"];
const RESOLUTIONS = ["480p", "720p", "1080p"];
const CULTURES = ["indian", "western", "middle_eastern", "east_asian", "african"];
const SCRIPT_LANGUAGES = ["en", "hi", "es", "fr", "ar", "it", "pt", "ja", "zh"];
const WORDS_PER_SECOND = 2.6;

export default function NewProject() {
  const { t, number } = useI18n();
  const location = useLocation();
  const templates = useApi<Template[]>("/catalog/templates");
  const voices = useApi<Voice[]>("/catalog/voices");
  const music = useApi<Music[]>("/catalog/music");
  const library = useApi<LibraryCharacter[]>("/characters");
  const [step, setStep] = useState(0);
  const [title, setTitle] = useState("");
  const [script, setScript] = useState("");
  const [format, setFormat] = useState("text");
  const [template, setTemplate] = useState("");
  const [uploadPct, setUploadPct] = useState<number | null>(null);
  const [uploadNote, setUploadNote] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState<ScriptChecked | null>(null);
  const [checkedFor, setCheckedFor] = useState<string | null>(null);
  const [scriptProblem, setScriptProblem] = useState<string | null>(null);
  // null while it is being worked out; `failed` says why there is none.
  const [estimate, setEstimate] = useState<Estimate | { failed: string } | null>(null);
  const [cast, setCast] = useState<Record<string, string>>({});
  const [castings, setCastings] = useState<Record<string, Casting>>({});
  const [backdrops, setBackdrops] = useState<Record<number, Chosen>>({});
  const [narration, setNarration] = useState<Chosen | null>(null);
  const [musicUpload, setMusicUpload] = useState<Chosen | null>(null);
  const [podcast, setPodcast] = useState(false);
  const [podcastLayout, setPodcastLayout] = useState<"split" | "alternating">("split");
  const [musicStyle, setMusicStyle] = useState("orchestral");
  const [autoLength, setAutoLength] = useState(true);
  const [seconds, setSeconds] = useState(60);
  const [aspects, setAspects] = useState<string[]>(["16:9"]);
  const [resolution, setResolution] = useState("720p");
  const [culture, setCulture] = useState("");
  const [language, setLanguage] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // A template named in the URL (?template=story) is loaded once the catalogue arrives, unless the
  // creator has started writing or picked something else meanwhile.
  const [urlTemplateSettled, setUrlTemplateSettled] = useState(false);
  useEffect(() => {
    const wanted = location.searchParams.get("template");
    if (!templates.data || urlTemplateSettled) return;
    setUrlTemplateSettled(true);
    if (wanted && !template && !script) chooseTemplate(wanted);
  }, [templates.data]); // eslint-disable-line react-hooks/exhaustive-deps

  function chooseTemplate(name: string) {
    setTemplate(name);
    const found = templates.data?.find((x) => x.name === name);
    if (!found) { setScript(""); setFormat("text"); return; }
    setScript(found.script);
    setFormat(found.format);
    if (!title) setTitle(name[0].toUpperCase() + name.slice(1));
  }

  const words = countWords(script);
  // Debounced as a string: a fresh object each render would restart the timer for ever.
  const settledKey = useDebounced(JSON.stringify({ script, format, language, culture, seconds: autoLength ? null : seconds }), 500);
  const settled = useMemo(() => JSON.parse(settledKey) as { script: string; format: string; language: string; culture: string; seconds: number | null }, [settledKey]);

  // The script stage's own analysis, as you type: cast, language, length, and what is wrong.
  useEffect(() => {
    if (!settled.script.trim()) { setChecked(null); setScriptProblem(null); setCheckedFor(settled.script); return; }
    const controller = new AbortController();
    api<ScriptChecked>("/catalog/script/plan", {
      method: "POST", signal: controller.signal,
      body: { script: settled.script, format: settled.format, language: settled.language || null, culture: settled.culture || null, target_seconds: settled.seconds },
    }).then((c) => { setChecked(c); setScriptProblem(null); setCheckedFor(settled.script); })
      .catch((e) => {
        if (!controller.signal.aborted && e instanceof ApiError) { setChecked(null); setScriptProblem(e.problem.detail); setCheckedFor(settled.script); }
      });
    return () => controller.abort();
  }, [settled]);

  const filmSeconds = autoLength ? (checked?.estimated_seconds ?? words / WORDS_PER_SECOND) : seconds;
  const billedSeconds = useDebounced(Math.round(filmSeconds), 400);

  // The credit cost of this length, from the credits service (absent in installations without it).
  useEffect(() => {
    if (!billedSeconds) return; // the previous answer stays until the new one arrives, so the line does not flicker
    const controller = new AbortController();
    api<Estimate>(`/credits/estimate?seconds=${billedSeconds}`, { signal: controller.signal })
      .then(setEstimate)
      .catch((e) => {
        if (controller.signal.aborted) return;
        setEstimate({ failed: e instanceof ApiError && e.missing ? t("wizard.estimateUnavailable")
          : e instanceof ApiError && e.problem.detail ? t("wizard.estimateFailed", { reason: e.problem.detail }) : t("wizard.estimateNone") });
      });
    return () => controller.abort();
  }, [billedSeconds]); // eslint-disable-line react-hooks/exhaustive-deps

  async function onFile(file: File) {
    setUploadError(null);
    setUploadNote(null);
    setUploadPct(0);
    const form = new FormData();
    form.append("file", file);
    try {
      const r = await upload<{ filename: string; text: string; format: string }>("/uploads/script", form, setUploadPct);
      setScript(r.text);
      setFormat(r.format);
      setTemplate("");
      if (!title) setTitle(file.name.replace(/\.[^.]+$/, ""));
      setUploadNote(t("wizard.uploaded", { name: r.filename }));
    } catch (e) {
      setUploadError(e instanceof ApiError ? e : null);
      setUploadPct(null);
    }
  }

  const titleError = !title.trim() ? t("wizard.titleMissing") : null;
  const scriptError = !script.trim() ? t("wizard.scriptMissing") : scriptProblem;
  const aspectError = aspects.length === 0 ? t("wizard.aspectMissing") : null;
  const musicError = musicStyle === "upload" && !musicUpload ? t("wizard.trackMissing") : null;
  const stepErrors = [[titleError, scriptError], [], [aspectError, musicError], []][step].filter(Boolean);
  const scriptLanguage = language || checked?.language || "en";
  const languageVoices = useMemo(
    () => (voices.data ?? []).filter((v) => v.language.split("-")[0] === scriptLanguage),
    [voices.data, scriptLanguage],
  );

  function next() {
    setTouched(true);
    if (stepErrors.length === 0) { setStep(step + 1); setTouched(false); }
  }

  async function create() {
    setBusy(true);
    setFailure(null);
    const voiceChoices: VoiceChoice[] = Object.entries(cast).filter(([, preset]) => preset).map(([character_id, preset]) => ({ character_id, preset }));
    // The cast's looks, keyed by the script's character names (the pipeline resolves names and ids alike).
    const present = new Set(checked?.characters.map((c) => c.name) ?? []);
    const chosen = Object.entries(castings).filter(([name]) => present.has(name));
    const sceneCount = checked?.scenes ?? 0;
    try {
      const project = await api<Accepted>("/projects", {
        method: "POST",
        body: {
          title: title.trim(), script, script_format: format, language: language || null, culture: culture || null,
          target_seconds: autoLength ? null : seconds, aspects, resolution, voices: voiceChoices, music: musicStyle, draft: true,
          music_upload: musicStyle === "upload" ? musicUpload?.key ?? null : null,
          podcast, podcast_layout: podcastLayout,
          narration_upload: narration?.key ?? null,
          character_images: Object.fromEntries(chosen.flatMap(([name, c]) => (c.kind === "photo" ? [[name, c.photo.key]] : []))),
          character_looks: Object.fromEntries(chosen.flatMap(([name, c]) => (c.kind === "look" ? [[name, { character_id: name, ...c.look }]] : []))),
          library_characters: Object.fromEntries(chosen.flatMap(([name, c]) => (c.kind === "library" ? [[name, c.reference]] : []))),
          backdrop_uploads: Object.fromEntries(Object.entries(backdrops).filter(([n]) => Number(n) <= sceneCount).map(([n, b]) => [n, b.key])),
        },
      });
      await api(`/projects/${project.id}/films`, { method: "POST" });
      navigate(`/projects/${project.id}`);
    } catch (e) {
      setFailure(e instanceof ApiError ? e : null);
      setBusy(false);
    }
  }

  const steps = [t("wizard.step1"), t("wizard.step2"), t("wizard.step3"), t("wizard.step4")];
  return (
    <section>
      <h1>{t("wizard.title")}</h1>
      <ol className="steps" aria-label={t("wizard.title")}>
        {steps.map((label, i) => <li key={label} aria-current={i === step ? "step" : undefined}>{i + 1}. {label}</li>)}
      </ol>

      {step === 0 && (
        <div className="card">
          <Field label={t("wizard.filmTitle")} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)}
            error={touched ? titleError : null} />
          <div className="field">
            <label htmlFor="template">{t("wizard.template")}</label>
            <select id="template" value={template} onChange={(e) => { setUrlTemplateSettled(true); chooseTemplate(e.target.value); }}>
              <option value="">{t("wizard.blank")}</option>
              {templates.data?.map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="script">{t("wizard.script")}</label>
            <textarea id="script" value={script} onChange={(e) => { setUrlTemplateSettled(true); setScript(e.target.value); }} spellCheck
              aria-invalid={(touched || script) && scriptError ? true : undefined} aria-describedby="script-hint script-stats script-error"
              dir="auto" placeholder={"INT. KITCHEN - MORNING\n\nPRIYA: Good morning, Dadi!\nDADI: You're up early."} />
            <small id="script-hint" className="muted">{t("wizard.hint")}</small>
            <p id="script-stats" className="row" aria-live="polite">
              <span data-testid="word-count">{t("wizard.words", { n: number(words) })}</span>
              <span>· {t("wizard.seconds", { n: number(Math.round(filmSeconds)) })}</span>
              {billedSeconds > 0 && (
                <span data-testid="estimate">· {!estimate ? t("wizard.estimating") : "failed" in estimate ? estimate.failed
                  : t("wizard.estimate", { credits: number(estimate.credits), available: number(estimate.available) })}</span>
              )}
            </p>
            {estimate && !("failed" in estimate) && !estimate.affordable && <p className="notice">{estimate.message}</p>}
            {(touched || script) && scriptError && <small id="script-error" className="field-error" role="alert">{scriptError}</small>}
            {checked?.warnings.map((w) => <small key={w} className="muted">⚠ {w}</small>)}
          </div>
          <div className="field">
            <label htmlFor="upload">{t("wizard.upload")}</label>
            <input id="upload" ref={fileInput} type="file" accept=".txt,.md,.fountain,.docx,.pdf"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) onFile(f); }} />
            {uploadPct !== null && <ProgressBar value={uploadPct} label={t("wizard.uploading", { pct: `${Math.round(uploadPct * 100)}%` })} />}
            {uploadNote && <small className="muted" role="status">{uploadNote}</small>}
            {uploadError && <ErrorState error={uploadError} />}
          </div>
        </div>
      )}

      {step === 1 && (
        <div className="card">
          <h2>{t("wizard.cast")}</h2>
          {checkedFor !== script ? <Loading /> : !checked || checked.characters.length === 0 ? <p className="muted">{t("wizard.castNone")}</p> : (
            <ul className="cast">
              {checked.characters.map((c) => (
                <CastMember key={c.id} character={c} voices={languageVoices} voice={cast[c.id] ?? ""}
                  onVoice={(preset) => setCast({ ...cast, [c.id]: preset })}
                  casting={castings[c.name] ?? { kind: "auto" }} onCasting={(next) => setCastings({ ...castings, [c.name]: next })}
                  library={library.data ?? []} onSaved={library.reload} />
              ))}
            </ul>
          )}
          {voices.error && <ErrorState error={voices.error} retry={voices.reload} />}
          <h2>{t("wizard.narration")}</h2>
          <p className="muted">{t("wizard.narrationHint")}</p>
          <FileUpload label={t("wizard.narrationUpload")} accept={AUDIO} path="/uploads/narration" value={narration} onChange={setNarration} testId="narration" />
          {checked && checked.scenes > 0 && (
            <>
              <h2>{t("wizard.backdrops")}</h2>
              <p className="muted">{t("wizard.backdropsHint")}</p>
              <div className="grid">
                {Array.from({ length: checked.scenes }, (_, i) => i + 1).map((n) => (
                  <FileUpload key={n} label={t("wizard.backdropFor", { n })} accept={IMAGES} path="/uploads/image" testId={`backdrop-${n}`}
                    value={backdrops[n] ?? null}
                    onChange={(b) => { const next = { ...backdrops }; if (b) next[n] = b; else delete next[n]; setBackdrops(next); }} />
                ))}
              </div>
            </>
          )}
        </div>
      )}

      {step === 2 && (
        <div className="card">
          <div className="field">
            <label htmlFor="music">{t("wizard.music")}</label>
            <div className="row">
              <select id="music" value={musicStyle} onChange={(e) => setMusicStyle(e.target.value)}>
                {music.data?.filter((m) => m.id !== "upload").map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
                <option value="upload">{t("wizard.ownTrack")}</option>
              </select>
              {music.data?.find((m) => m.id === musicStyle)?.preview_url && (
                <AudioButton src={music.data.find((m) => m.id === musicStyle)!.preview_url!} label={musicStyle} />
              )}
            </div>
          </div>
          {musicStyle === "upload" && (
            <FileUpload label={t("wizard.trackUpload")} accept={AUDIO} path="/uploads/music" value={musicUpload} onChange={setMusicUpload} testId="music-upload" />
          )}
          {musicError && <small className="field-error" role="alert">{musicError}</small>}
          <fieldset>
            <legend>{t("wizard.podcast")}</legend>
            <label className="check"><input type="checkbox" checked={podcast} onChange={(e) => setPodcast(e.target.checked)} /> {t("wizard.podcastOn")}</label>
            {podcast && (
              <div className="field">
                <label htmlFor="podcast-layout">{t("wizard.podcastLayout")}</label>
                <select id="podcast-layout" value={podcastLayout} onChange={(e) => setPodcastLayout(e.target.value as "split" | "alternating")}>
                  <option value="split">{t("wizard.layoutSplit")}</option>
                  <option value="alternating">{t("wizard.layoutAlternating")}</option>
                </select>
              </div>
            )}
          </fieldset>
          <fieldset>
            <legend>{t("wizard.duration")}</legend>
            <label><input type="checkbox" checked={autoLength} onChange={(e) => setAutoLength(e.target.checked)} /> {t("wizard.durationAuto")}</label>
            <div className="row">
              <label className="sr-only" htmlFor="seconds">{t("wizard.duration")}</label>
              <input id="seconds" type="range" min={30} max={600} step={10} value={seconds} disabled={autoLength}
                onChange={(e) => setSeconds(Number(e.target.value))} aria-valuetext={`${seconds} s`} />
              <output htmlFor="seconds">{number(autoLength ? Math.round(filmSeconds) : seconds)} s</output>
            </div>
          </fieldset>
          <fieldset aria-describedby={aspectError ? "aspect-error" : undefined}>
            <legend>{t("wizard.aspect")}</legend>
            {ASPECTS.map((a) => (
              <label key={a} className="check">
                <input type="checkbox" checked={aspects.includes(a)}
                  onChange={(e) => setAspects(e.target.checked ? [...aspects, a] : aspects.filter((x) => x !== a))} /> {a}
              </label>
            ))}
            {aspectError && <small id="aspect-error" className="field-error" role="alert">{aspectError}</small>}
          </fieldset>
          <div className="row">
            <div className="field">
              <label htmlFor="resolution">{t("wizard.resolution")}</label>
              <select id="resolution" value={resolution} onChange={(e) => setResolution(e.target.value)}>
                {RESOLUTIONS.map((r) => <option key={r}>{r}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="culture">{t("wizard.culture")}</label>
              <select id="culture" value={culture} onChange={(e) => setCulture(e.target.value)}>
                <option value="">{t("wizard.cultureAuto")}</option>
                {CULTURES.map((c) => <option key={c} value={c}>{c.replace("_", " ")}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="script-language">{t("wizard.language")}</label>
              <select id="script-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">{t("wizard.languageAuto")}{checked ? ` (${checked.language})` : ""}</option>
                {SCRIPT_LANGUAGES.map((l) => <option key={l} value={l}>{l}</option>)}
              </select>
            </div>
          </div>
        </div>
      )}

      {step === 3 && (
        <div className="card">
          <dl className="summary">
            <dt>{t("wizard.filmTitle")}</dt><dd>{title}</dd>
            <dt>{t("wizard.script")}</dt><dd>{t("wizard.words", { n: number(words) })} · {t("wizard.seconds", { n: number(Math.round(filmSeconds)) })}</dd>
            <dt>{t("wizard.music")}</dt><dd>{musicStyle === "upload" ? musicUpload?.filename : musicStyle}{podcast ? ` · ${t("wizard.podcast")} (${podcastLayout})` : ""}</dd>
            <dt>{t("wizard.cast")}</dt>
            <dd data-testid="cast-summary">
              {Object.entries(castings).filter(([, c]) => c.kind !== "auto").map(([name, c]) => `${name}: ${c.kind === "photo" ? t("cast.photo") : c.kind === "look" ? t("cast.custom") : t("cast.library")}`).join(" · ") || t("cast.auto")}
            </dd>
            {narration && <><dt>{t("wizard.narration")}</dt><dd>{narration.filename}</dd></>}
            {Object.keys(backdrops).length > 0 && <><dt>{t("wizard.backdrops")}</dt><dd>{Object.entries(backdrops).map(([n, b]) => `${n}: ${b.filename}`).join(" · ")}</dd></>}
            <dt>{t("wizard.aspect")}</dt><dd>{aspects.join(", ")} · {resolution}</dd>
          </dl>
          {failure && <ErrorState error={failure} />}
        </div>
      )}

      <p className="row">
        {step > 0 && <button type="button" onClick={() => setStep(step - 1)}>{t("wizard.back")}</button>}
        {step < 3 && <button type="button" className="primary" onClick={next}>{t("wizard.next")}</button>}
        {step === 3 && <button type="button" className="primary" disabled={busy} onClick={create}>{t("wizard.create")}</button>}
      </p>
    </section>
  );
}
