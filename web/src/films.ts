import type { Download, Film } from "./api";
import type { Translate } from "./i18n";

/** Sorts a film's downloads into what the project page shows: videos, subtitles, thumbnails, cast looks. */
export interface FilmFiles {
  videos: Array<Download & { label: string; rendition: Rendition | null }>;
  subtitles: Array<Download & { format: string; track: Track | null }>;
  thumbnails: Array<Download & { format: string; number: number }>;
  cast: Array<Download & { character: string | null }>;
}

interface Rendition { aspect: string; resolution: string; video: string }
interface Track { language: string; label: string; translated: boolean }

const ext = (d: Download) => d.key.split(".").pop()?.toLowerCase() ?? "";
/** The list index in an output name: "tracks[1].vtt" -> 1. */
const index = (name: string) => Number(/^\w+\[(\d+)\]/.exec(name)?.[1] ?? -1);

export function filmFiles(film: Film): FilmFiles {
  const outputs = (film.outputs ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const renditions = (outputs.render?.renditions as Rendition[] | undefined) ?? [];
  const tracks = (outputs.subtitles?.tracks as Track[] | undefined) ?? [];
  const sprites = (outputs.cast?.characters as Array<{ character_id: string }> | undefined) ?? [];
  const people = (outputs.script?.characters as Array<{ id: string; name: string }> | undefined) ?? [];
  const label = (key: string) => {
    const r = renditions.find((x) => x.video === key);
    return r ? `${r.aspect} · ${r.resolution}` : "MP4";
  };
  // A file can be referenced by several stages' outputs (the render's MP4 is also the thumbnails' input).
  const seen = new Set<string>();
  const downloads = film.downloads.filter((d) => !seen.has(d.key) && seen.add(d.key));
  const thumbnails = downloads.filter((d) => d.stage === "thumbnails" && ["png", "jpg", "jpeg", "webp"].includes(ext(d)));
  return {
    videos: downloads.filter((d) => ext(d) === "mp4")
      .map((d) => ({ ...d, label: label(d.key), rendition: renditions.find((x) => x.video === d.key) ?? null })),
    subtitles: downloads.filter((d) => ext(d) === "srt" || ext(d) === "vtt")
      .map((d) => ({ ...d, format: ext(d).toUpperCase(), track: (d.stage === "subtitles" && tracks[index(d.name)]) || null })),
    thumbnails: thumbnails.map((d, i) => ({ ...d, format: ext(d) === "jpeg" ? "JPG" : ext(d).toUpperCase(), number: i + 1 })),
    cast: downloads.filter((d) => d.stage === "cast" && /^characters\[\d+\]\.bodies\.neutral$/.test(d.name)).map((d) => {
      const id = sprites[index(d.name)]?.character_id;
      return { ...d, character: people.find((p) => p.id === id)?.name ?? id ?? null };
    }),
  };
}

/** What a creator reads on a download: "Film 16:9 1080p (MP4)", "Subtitles Hindi, machine translated (VTT)". */
export function fileLabels(t: Translate, languageName: (code: string) => string) {
  return {
    video: (v: FilmFiles["videos"][number]) => v.rendition
      ? t("files.film", { aspect: v.rendition.aspect, resolution: v.rendition.resolution, format: "MP4" })
      : t("files.filmPlain", { format: "MP4" }),
    subtitles: (s: FilmFiles["subtitles"][number]) => {
      const language = s.track ? languageName(s.track.language) || s.track.label : "";
      return t(s.track?.translated ? "files.subtitlesTranslated" : "files.subtitles", { language, format: s.format }).replace("  ", " ");
    },
    thumbnail: (th: FilmFiles["thumbnails"][number]) => t("files.thumbnail", { n: th.number, format: th.format }),
    language: (s: FilmFiles["subtitles"][number]) => (s.track ? languageName(s.track.language) || s.track.label : s.name),
  };
}

/** Whether the film was a draft: its renditions are 480p (drafts render at 480p). */
export function isDraft(film: Film): boolean {
  const renditions = ((film.outputs?.render as { renditions?: Rendition[] } | undefined)?.renditions ?? []);
  return renditions.length > 0 && renditions.every((r) => r.resolution === "480p");
}

/** The stages in pipeline order (a stage after all it depends on), from the film's DAG. */
export function stageOrder(dag: Record<string, string[]>): string[] {
  const order: string[] = [];
  const visit = (stage: string) => {
    if (order.includes(stage)) return;
    (dag[stage] ?? []).forEach(visit);
    order.push(stage);
  };
  Object.keys(dag).forEach(visit);
  return order;
}

/** The first failed stage's reason, else the film's error. */
export function failureReason(film: Film): string | null {
  const failed = Object.entries(film.stages).find(([, s]) => s.status === "failed" && s.reason);
  return failed ? `${failed[0]}: ${failed[1].reason}` : film.error;
}
