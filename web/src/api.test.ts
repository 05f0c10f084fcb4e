import { describe, expect, it } from "vitest";
import { routeMissing, routePattern, routesOf } from "./api";

const doc = {
  paths: {
    "/api/characters": { get: {}, post: {} },
    "/api/characters/{character_id}/preview.png": { get: {} },
    "/api/notifications/{notification_id}/read": { post: {} },
  },
};

describe("which routes this installation has", () => {
  const known = routesOf(doc);

  it("matches concrete paths against the OpenAPI templates", () => {
    expect(routePattern("/api/characters/{character_id}/preview.png").test("/api/characters/abc/preview.png")).toBe(true);
    expect(routePattern("/api/characters/{character_id}/preview.png").test("/api/characters/abc/previewXpng")).toBe(false);
    expect(routePattern("/api/characters/{character_id}/preview.png").test("/api/characters/a/b/preview.png")).toBe(false);
  });

  it("a 404 from a described route is a missing item, not a missing feature", async () => {
    expect(await routeMissing("GET", "/api/characters/123/preview.png?version=2", known)).toBe(false);
    expect(await routeMissing("POST", "/api/notifications/42/read", known)).toBe(false);
  });

  it("a path or method the description lacks is not available here", async () => {
    expect(await routeMissing("GET", "/api/admin/metrics", known)).toBe(true);
    expect(await routeMissing("DELETE", "/api/characters", known)).toBe(true);
  });
});
