import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api";
import { I18nProvider } from "../i18n";
import Auth from "../pages/Auth";
import { RouterProvider } from "../router";
import { SessionProvider } from "../session";
import { BarChart } from "./BarChart";
import { CastMember, type Casting } from "./CastMember";
import { Field } from "./Field";
import { ErrorState } from "./States";

const wrap = (ui: React.ReactNode) => render(<RouterProvider><I18nProvider initial="en"><SessionProvider>{ui}</SessionProvider></I18nProvider></RouterProvider>);

describe("Field", () => {
  it("links its label and error message to the input and marks it invalid", () => {
    render(<Field label="E-mail" value="x" onChange={() => {}} error="Enter an e-mail address." />);
    const input = screen.getByLabelText("E-mail");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = input.getAttribute("aria-describedby")!;
    expect(document.getElementById(described)!.textContent).toBe("Enter an e-mail address.");
  });
});

describe("BarChart", () => {
  it("draws bars in proportion with the total in the caption", () => {
    const { container } = render(<BarChart title="Credits" points={[{ label: "a", value: 10 }, { label: "b", value: 5 }]} />);
    const heights = [...container.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
    expect(heights[0]).toBeCloseTo(heights[1] * 2);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("Credits: 15");
  });
});

describe("ErrorState", () => {
  it("says 'not available yet' for a route this installation does not have", () => {
    const error = new ApiError({ title: "Not Found", status: 404, detail: "whatever the server's wording" });
    error.missing = true; // as api() marks it when the OpenAPI description lacks the route
    wrap(<ErrorState error={error} />);
    expect(screen.getByText("Not available yet")).toBeTruthy();
  });
  it("a missing item on a route that exists is an error in the server's words, not 'not available'", () => {
    wrap(<ErrorState error={new ApiError({ title: "Not Found", status: 404, detail: "No route matches the wording of old" })} />);
    expect(screen.queryByText("Not available yet")).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain("No route matches the wording of old");
  });
  it("shows the problem's own words and a retry for other errors", () => {
    const retry = vi.fn();
    wrap(<ErrorState retry={retry} error={new ApiError({ title: "Payment required", status: 402, detail: "Top up 40 credits." })} />);
    expect(screen.getByRole("alert").textContent).toContain("Top up 40 credits.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });
});

describe("sign-up form", () => {
  it("validates as you type and sends nothing while a field is wrong", () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    wrap(<Auth mode="signup" />);
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "short" } });
    expect(screen.getByText("Use at least 8 characters (5 so far).")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: "asha@" } });
    fireEvent.blur(screen.getByLabelText("E-mail"));
    expect(screen.getByText("Enter an e-mail address like name@example.com.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByText("Tell us what to call you.")).toBeTruthy();
    expect(fetch).not.toHaveBeenCalledWith(expect.stringContaining("/auth/register"), expect.anything());
    fetch.mockRestore();
  });
});

describe("CastMember's picture", () => {
  const priya = {
    id: "priya", name: "Priya", age: "adult", gender: "female", is_narrator: false, lines: 2,
    look: { age: "adult", gender: "female", skin_tone: "#a86b4c", hair: "long", hair_color: "#3a2418", attire: "sari", attire_color: "#3949ab" },
  };
  const member = (casting: Casting) => (
    <I18nProvider initial="en">
      <CastMember character={priya} voices={[]} voice="" onVoice={() => {}} casting={casting} onCasting={() => {}} library={[]} onSaved={() => {}} />
    </I18nProvider>
  );

  it("shows the automatic look drawn by the cast code, and a drawn look once its editing settles", () => {
    vi.useFakeTimers();
    const { rerender } = render(member({ kind: "auto" }));
    const picture = () => new URL(screen.getByRole("img", { name: "How Priya will look" }).getAttribute("src")!, "http://x");
    expect(picture().pathname).toBe("/api/catalog/look-preview.png");
    expect(picture().searchParams.get("attire")).toBe("sari");
    expect(picture().searchParams.has("character_id")).toBe(false);
    rerender(member({ kind: "look", look: { ...priya.look, attire: "kimono" } }));
    act(() => { vi.advanceTimersByTime(100); });
    expect(picture().searchParams.get("attire")).toBe("sari"); // not redrawn on every change
    act(() => { vi.advanceTimersByTime(400); });
    expect(picture().searchParams.get("attire")).toBe("kimono");
    vi.useRealTimers();
  });

  it("shows the narrator, who is not drawn, as a letter", () => {
    render(
      <I18nProvider initial="en">
        <CastMember character={{ ...priya, id: "narrator", name: "Narrator", is_narrator: true, look: null }} voices={[]} voice=""
          onVoice={() => {}} casting={{ kind: "auto" }} onCasting={() => {}} library={[]} onSaved={() => {}} />
      </I18nProvider>,
    );
    expect(screen.queryByRole("img")).toBeNull();
  });
});
