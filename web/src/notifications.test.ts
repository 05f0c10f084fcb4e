import { describe, expect, it } from "vitest";
import { appLink } from "./notifications";

describe("where a notification leads", () => {
  it("a film's notification opens the film (which opens its project)", () => {
    expect(appLink({ kind: "film_completed", data: { film_id: "f1", link: "/films/f1" } })).toBe("/films/f1");
    expect(appLink({ kind: "upload_published", data: { film_id: "f2", url: "https://youtu.be/x" } })).toBe("/films/f2");
  });
  it("money matters open the credits page; the rest lead nowhere", () => {
    expect(appLink({ kind: "credits_low", data: { balance: 3, link: "/billing" } })).toBe("/credits");
    expect(appLink({ kind: "payment_received", data: { amount: "9.00 USD" } })).toBe("/credits");
    expect(appLink({ kind: "something_new", data: {} })).toBeNull();
  });
});
