import type { Config } from "tailwindcss";

// Theme tokens live here; app/globals.css loads this file with `@config` (Tailwind 4).
export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: { DEFAULT: "#4338ca", dark: "#3730a3", light: "#e0e7ff" },
        ok: { DEFAULT: "#15803d", light: "#dcfce7" },
        warn: { DEFAULT: "#b45309", light: "#fef3c7" },
        danger: { DEFAULT: "#b91c1c", light: "#fee2e2" },
        sandbox: { DEFAULT: "#7c2d12", light: "#ffedd5" },
      },
      fontFamily: {
        sans: ["Liberation Sans", "Arial", "Helvetica", "sans-serif"],
      },
    },
  },
} satisfies Config;
