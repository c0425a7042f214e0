// Shared Tailwind class lists, so every button and field looks and focuses the same.
const base = "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60";

export const ui = {
  primary: `${base} bg-blue-600 text-white hover:bg-blue-700 disabled:hover:bg-blue-600 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400`,
  secondary: `${base} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`,
  danger: `${base} border border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-800 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950`,
  link: "rounded text-sm font-medium text-blue-700 underline-offset-2 hover:underline disabled:cursor-not-allowed disabled:text-slate-500 disabled:no-underline dark:text-blue-300 dark:disabled:text-slate-400",
  input:
    "block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 placeholder:text-slate-500 focus:border-blue-600 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400",
  label: "block text-sm font-medium text-slate-800 dark:text-slate-200",
  hint: "text-sm text-slate-600 dark:text-slate-300",
  card: "rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900",
  error: "text-sm font-medium text-red-700 dark:text-red-300",
  badge: "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium",
};
