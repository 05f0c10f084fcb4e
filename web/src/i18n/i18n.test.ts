import { describe, expect, it } from "vitest";
import ar from "./ar";
import en from "./en";
import es from "./es";
import fr from "./fr";
import hi from "./hi";
import { format, isRtl, pickLanguage } from "./index";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  for (const [code, messages] of Object.entries({ hi, es, fr, ar })) {
    it(`${code} has every English key with the same placeholders`, () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as Array<keyof typeof en>) {
        expect(placeholders(messages[key]), `${code} ${key}`).toEqual(placeholders(en[key]));
        expect(messages[key].trim(), `${code} ${key}`).not.toBe("");
      }
    });
  }

  it("translations differ from English in the visible headings", () => {
    for (const messages of [hi, es, fr, ar]) expect(messages["landing.title"]).not.toBe(en["landing.title"]);
  });
});

describe("language helpers", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{n} words, {m}", { n: 3 })).toBe("3 words, {m}");
  });
  it("picks the first supported browser language by its base tag", () => {
    expect(pickLanguage(["de-DE", "fr-CA", "en"])).toBe("fr");
    expect(pickLanguage(["de", "ja"])).toBe("en");
  });
  it("knows which scripts run right to left", () => {
    expect(isRtl("ar")).toBe(true);
    expect(isRtl("ar-EG")).toBe(true);
    expect(isRtl("hi")).toBe(false);
  });
});
