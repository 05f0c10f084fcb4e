import { useId, useState } from "react";
import { api, ApiError } from "../api";
import { useI18n } from "../i18n";
import { useApi } from "../useApi";
import { useDebounced } from "../useDebounced";
import { AudioButton } from "./AudioButton";
import { FileUpload, type Chosen } from "./FileUpload";

/** Shapes of gateway/routes/characters.py and schemas/characters.py. */
export interface Look { age: string; gender: string; skin_tone: string; hair: string; hair_color: string; attire: string; attire_color: string }
export interface LibraryCharacter { id: string; name: string; latest_version: number; reference: string; preview_url: string }
interface LibraryVersion { version: number; reference: string; preview_url: string; design: { name: string; look: Look; photo: string | null; voice: string | null } }
interface CharacterAccepted { id: string; version: number; reference: string; position: number }
/** A character of POST /api/catalog/script/plan; `look` is what the cast stage draws when none is chosen. */
export interface ScriptCharacter { id: string; name: string; age: string; gender: string; is_narrator: boolean; lines: number; look?: Look | null }
export interface Voice { id: string; label: string; language: string; preview_url: string }

/** How one character will look: the automatic drawing, a drawn look of one's own, a photo, or a saved character. */
export type Casting =
  | { kind: "auto" }
  | { kind: "look"; look: Look }
  | { kind: "photo"; photo: Chosen }
  | { kind: "library"; id: string; reference: string; preview_url: string };

export const AGES = ["child", "young_adult", "adult", "senior"];
const HAIR = ["short", "long", "bun", "braid", "curly", "bald"];
const ATTIRE = ["shirt", "tshirt", "suit", "dress", "sari", "kurta", "dhoti", "kimono", "thobe", "abaya", "hijab", "turban", "school_uniform"];

const LOOK_FIELDS = ["age", "gender", "skin_tone", "hair", "hair_color", "attire", "attire_color"] as const;

/** The cast code's drawing of a look (GET /api/catalog/look-preview.png; the same look is the same URL). */
export function lookPreviewUrl(look: Look): string {
  return `/api/catalog/look-preview.png?${new URLSearchParams(LOOK_FIELDS.map((f) => [f, look[f]]))}`;
}

/** Where editing a drawn look starts: the automatic look the film would have, else a plain one. */
export function defaultLook(c: ScriptCharacter): Look {
  if (c.look) return { ...c.look };
  return {
    age: AGES.includes(c.age) ? c.age : "adult", gender: c.gender === "male" ? "male" : "female",
    skin_tone: "#c68642", hair: c.gender === "male" ? "short" : "long", hair_color: "#2b1d14", attire: "shirt", attire_color: "#3366aa",
  };
}

export function CastMember({ character: c, voices, voice, onVoice, casting, onCasting, library, onSaved }: {
  character: ScriptCharacter; voices: Voice[]; voice: string; onVoice: (preset: string) => void;
  casting: Casting; onCasting: (next: Casting) => void; library: LibraryCharacter[]; onSaved: () => void;
}) {
  const { t } = useI18n();
  const chosenVoice = voices.find((v) => v.id === voice);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const namesake = library.find((l) => l.name.toLowerCase() === c.name.toLowerCase());
  const select = casting.kind === "library" ? `library:${casting.id}` : casting.kind;
  const [photoMode, setPhotoMode] = useState(casting.kind === "photo");

  function choose(value: string) {
    setSaved(null);
    if (value === "auto") onCasting({ kind: "auto" });
    else if (value === "look") onCasting({ kind: "look", look: defaultLook(c) });
    else if (value === "photo") onCasting({ kind: "auto" }); // becomes "photo" once a picture is stored
    else {
      const found = library.find((l) => `library:${l.id}` === value);
      if (found) onCasting({ kind: "library", id: found.id, reference: found.reference, preview_url: found.preview_url });
    }
    setPhotoMode(value === "photo");
  }

  /** Keeps this cast member in the library: a new character, or a new version of the one with the same name. */
  async function save() {
    if (casting.kind !== "look" && casting.kind !== "photo") return;
    setSaving(true);
    setFailure(null);
    const design = {
      name: c.name,
      look: casting.kind === "look" ? casting.look : defaultLook(c),
      photo: casting.kind === "photo" ? casting.photo.key : null,
      voice: voice || null,
    };
    try {
      const r = await api<CharacterAccepted>(namesake ? `/characters/${namesake.id}/versions` : "/characters", { method: "POST", body: design });
      setSaved(t("cast.saved", { name: c.name, version: r.version }));
      onSaved();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.problem.detail : String(e));
    }
    setSaving(false);
  }

  const look = casting.kind === "look" ? casting.look : null;
  const setLook = (patch: Partial<Look>) => look && onCasting({ kind: "look", look: { ...look, ...patch } });
  return (
    <li className="cast-member" data-character={c.name}>
      <CastPicture character={c} casting={casting} />
      <div className="cast-body">
        <strong>{c.name}</strong> <span className="muted">{c.age.replace("_", " ")} · {c.gender}{c.is_narrator ? ` · ${t("cast.narrator")}` : ""}</span>
        <div className="row">
          <label className="sr-only" htmlFor={`voice-${c.id}`}>{t("wizard.voice", { name: c.name })}</label>
          <select id={`voice-${c.id}`} value={voice} onChange={(e) => onVoice(e.target.value)}>
            <option value="">{t("wizard.voiceAuto")}</option>
            {voices.map((v) => <option key={v.id} value={v.id}>{v.label}</option>)}
          </select>
          {chosenVoice && <AudioButton src={chosenVoice.preview_url} label={chosenVoice.label} />}
          {!c.is_narrator && (
            <>
              <label className="sr-only" htmlFor={`look-${c.id}`}>{t("cast.lookOf", { name: c.name })}</label>
              <select id={`look-${c.id}`} value={photoMode ? "photo" : select} onChange={(e) => choose(e.target.value)}>
                <option value="auto">{t("cast.auto")}</option>
                <option value="look">{t("cast.custom")}</option>
                <option value="photo">{t("cast.photo")}</option>
                {library.length > 0 && (
                  <optgroup label={t("cast.library")}>
                    {library.map((l) => <option key={l.id} value={`library:${l.id}`}>{l.name} (v{l.latest_version})</option>)}
                  </optgroup>
                )}
              </select>
            </>
          )}
        </div>
        {look && (
          <fieldset className="look-editor">
            <legend>{t("cast.lookOf", { name: c.name })}</legend>
            <div className="row">
              <LookSelect label={t("cast.age")} value={look.age} options={AGES} onChange={(age) => setLook({ age })} />
              <LookSelect label={t("cast.gender")} value={look.gender} options={["female", "male"]} onChange={(gender) => setLook({ gender })} />
              <LookSelect label={t("cast.hair")} value={look.hair} options={HAIR} onChange={(hair) => setLook({ hair })} />
              <LookSelect label={t("cast.attire")} value={look.attire} options={ATTIRE} onChange={(attire) => setLook({ attire })} />
            </div>
            <div className="row">
              <LookColour label={t("cast.skin")} value={look.skin_tone} onChange={(skin_tone) => setLook({ skin_tone })} />
              <LookColour label={t("cast.hairColour")} value={look.hair_color} onChange={(hair_color) => setLook({ hair_color })} />
              <LookColour label={t("cast.attireColour")} value={look.attire_color} onChange={(attire_color) => setLook({ attire_color })} />
            </div>
          </fieldset>
        )}
        {photoMode && (
          <FileUpload label={t("cast.photoOf", { name: c.name })} accept="image/jpeg,image/png,image/webp" path="/uploads/image"
            value={casting.kind === "photo" ? casting.photo : null}
            onChange={(photo) => onCasting(photo ? { kind: "photo", photo } : { kind: "auto" })} />
        )}
        {casting.kind === "library" && <LibraryVersions id={casting.id} reference={casting.reference} onPick={(v) => onCasting({ ...casting, reference: v.reference, preview_url: v.preview_url })} />}
        {(casting.kind === "look" || casting.kind === "photo") && (
          <p className="row">
            <button type="button" onClick={save} disabled={saving}>
              {namesake ? t("cast.saveVersion", { name: c.name }) : t("cast.save", { name: c.name })}
            </button>
            {saved && <span role="status">{saved}</span>}
            {failure && <small className="field-error" role="alert">{failure}</small>}
          </p>
        )}
      </div>
    </li>
  );
}

/** The versions of a saved character: the latest by default, any earlier one on request. */
function LibraryVersions({ id, reference, onPick }: { id: string; reference: string; onPick: (v: LibraryVersion) => void }) {
  const { t } = useI18n();
  const found = useApi<{ versions: LibraryVersion[] }>(`/characters/${id}`);
  if (!found.data || found.data.versions.length < 2) return null;
  return (
    <div className="field">
      <label htmlFor={`version-${id}`}>{t("cast.version")}</label>
      <select id={`version-${id}`} value={reference} onChange={(e) => { const v = found.data!.versions.find((x) => x.reference === e.target.value); if (v) onPick(v); }}>
        {found.data.versions.map((v) => <option key={v.version} value={v.reference}>v{v.version} · {v.design.photo ? t("cast.photo") : v.design.look.attire}</option>)}
      </select>
    </div>
  );
}

function LookSelect({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>{options.map((o) => <option key={o} value={o}>{o.replace("_", " ")}</option>)}</select>
    </div>
  );
}

function LookColour({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return <div className="field"><label htmlFor={id}>{label}</label><input id={id} type="color" value={value} onChange={(e) => onChange(e.target.value)} /></div>;
}

/** How the character will look: the photo, the saved character's preview, or the look drawn by the cast code. */
function CastPicture({ character: c, casting }: { character: ScriptCharacter; casting: Casting }) {
  const { t } = useI18n();
  // A drawn look is redrawn once the creator stops changing it, not on every click of a colour picker.
  const look = casting.kind === "look" ? casting.look : casting.kind === "auto" ? c.look ?? null : null;
  const drawn = useDebounced(look ? lookPreviewUrl(look) : null, 300);
  const src = casting.kind === "library" ? casting.preview_url
    : casting.kind === "photo" ? casting.photo.preview ?? null
    : look ? drawn ?? lookPreviewUrl(look) : null;
  const [broken, setBroken] = useState<string | null>(null);
  if (!src || broken === src) {
    return <span className="avatar" aria-hidden="true" data-gender={c.gender}>{c.name.slice(0, 1).toUpperCase()}</span>;
  }
  return (
    <img className="avatar picture" src={src} alt={t("cast.previewOf", { name: c.name })} data-look={casting.kind}
      onError={() => setBroken(src)} />
  );
}
