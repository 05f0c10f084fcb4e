/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The gateway serves dist/ at "/" and the API at "/api"; `npm run dev` proxies the API to a running studio.
export default defineConfig({
  plugins: [react()],
  build: { target: "es2020", sourcemap: false, assetsInlineLimit: 0 },
  server: { proxy: { "/api": process.env.FILMSTUDIO_API ?? "http://127.0.0.1:8000" } },
  test: { environment: "jsdom", include: ["src/**/*.test.tsx", "src/**/*.test.ts"], setupFiles: ["src/test-setup.ts"] },
});
