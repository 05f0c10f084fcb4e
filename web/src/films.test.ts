import { describe, expect, it } from "vitest";
import type { Film } from "./api";
import { failureReason, fileLabels, filmFiles, isDraft, stageOrder } from "./films";
import en from "./i18n/en";
import { format, type Key } from "./i18n";
import { countWords } from "./validate";

function film(overrides: Partial<Film>): Film {
  return {
    id: "f", project_id: "p", status: "completed", current_stage: null, percent: 100, eta_seconds: null,
    stages: {}, dag: {}, downloads: [], events_url: "/api/films/f/events?token=x", error: null,
    requested_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", finished_at: null, outputs: null,
    ...overrides,
  };
}
const dl = (stage: string, name: string, key: string) => ({ stage, name, key, url: `/api/artifacts/${key}?token=t` });

describe("a film's files", () => {
  it("sorts downloads into videos with their rendition, subtitles, thumbnails and cast looks", () => {
    const files = filmFiles(film({
      outputs: { render: { renditions: [{ aspect: "9:16", resolution: "720p", video: "a.mp4" }] } },
      downloads: [
        dl("render", "renditions[0].video", "a.mp4"), dl("subtitles", "tracks[0].srt", "b.srt"),
        dl("subtitles", "tracks[0].vtt", "c.vtt"), dl("subtitles", "tracks[0].ass", "d.ass"),
        dl("thumbnails", "images[0]", "e.png"), dl("cast", "characters[0].bodies.neutral", "f.png"),
        dl("cast", "characters[0].mouths.open", "g.png"), dl("music", "cues[0].audio", "h.wav"),
      ],
    }));
    expect(files.videos.map((v) => v.label)).toEqual(["9:16 · 720p"]);
    expect(files.subtitles.map((s) => s.key)).toEqual(["b.srt", "c.vtt"]);
    expect(files.thumbnails.map((s) => s.key)).toEqual(["e.png"]);
    expect(files.cast.map((s) => s.key)).toEqual(["f.png"]);
  });

  it("labels downloads in words a creator reads, not output keys", () => {
    const files = filmFiles(film({
      outputs: {
        script: { characters: [{ id: "priya", name: "Priya" }] },
        render: { renditions: [{ aspect: "16:9", resolution: "1080p", video: "a.mp4" }] },
        subtitles: { tracks: [{ language: "en", label: "English", translated: false }, { language: "hi", label: "Hindi", translated: true }] },
        cast: { characters: [{ character_id: "priya" }] },
      },
      downloads: [
        dl("render", "renditions[0].video", "a.mp4"), dl("subtitles", "tracks[0].srt", "b.srt"),
        dl("subtitles", "tracks[1].vtt", "c.vtt"), dl("thumbnails", "images[0]", "e.jpg"), dl("thumbnails", "images[1]", "f.jpg"),
        dl("cast", "characters[0].bodies.neutral", "g.png"),
      ],
    }));
    const t = (key: Key, vars?: Record<string, string | number>) => format(en[key], vars);
    const names = new Intl.DisplayNames(["en"], { type: "language" });
    const labels = fileLabels(t, (code) => names.of(code) ?? code);
    expect(files.videos.map(labels.video)).toEqual(["Film 16:9 1080p (MP4)"]);
    expect(files.subtitles.map(labels.subtitles)).toEqual(["Subtitles English (SRT)", "Subtitles Hindi, machine translated (VTT)"]);
    expect(files.thumbnails.map(labels.thumbnail)).toEqual(["Thumbnail 1 (JPG)", "Thumbnail 2 (JPG)"]);
    expect(files.cast.map((c) => c.character)).toEqual(["Priya"]);
    const bare = filmFiles(film({ downloads: [dl("render", "video", "x.mp4"), dl("subtitles", "srt", "y.srt")] }));
    expect(labels.video(bare.videos[0])).toBe("Film (MP4)");
    expect(labels.subtitles(bare.subtitles[0])).toBe("Subtitles (SRT)");
  });

  it("lists a file referenced by two stages once", () => {
    const files = filmFiles(film({ downloads: [dl("render", "renditions[0].video", "a.mp4"), dl("thumbnails", "video", "a.mp4")] }));
    expect(files.videos).toHaveLength(1);
  });

  it("calls a film a draft only when every rendition is 480p", () => {
    const r = (resolution: string) => ({ aspect: "16:9", resolution, video: `${resolution}.mp4` });
    expect(isDraft(film({ outputs: { render: { renditions: [r("480p")] } } }))).toBe(true);
    expect(isDraft(film({ outputs: { render: { renditions: [r("480p"), r("1080p")] } } }))).toBe(false);
    expect(isDraft(film({}))).toBe(false);
  });

  it("orders stages so each comes after what it needs", () => {
    const order = stageOrder({ render: ["mix", "cast"], mix: ["voices"], voices: ["script"], cast: ["script"], script: [] });
    expect(order.indexOf("script")).toBe(0);
    expect(order.indexOf("mix")).toBeGreaterThan(order.indexOf("voices"));
    expect(order[order.length - 1]).toBe("render");
  });

  it("explains a failure by the failed stage's reason, else the film's error", () => {
    const failed = { status: "failed", attempt: 1, fraction: 0, message: null, seconds: null, reason: "no lines to speak" };
    expect(failureReason(film({ stages: { script: failed }, error: "x" }))).toBe("script: no lines to speak");
    expect(failureReason(film({ error: "cancelled by you" }))).toBe("cancelled by you");
  });
});

describe("word count", () => {
  it("counts words in Latin, Devanagari and Arabic scripts", () => {
    expect(countWords("PRIYA: Good morning, Dadi!")).toBe(4);
    expect(countWords("नमस्ते दादी जी")).toBe(3);
    expect(countWords("مرحبا يا جدتي")).toBe(3);
    expect(countWords("  ")).toBe(0);
  });
});
