export type StatusMessage = { text: string; tone: "info" | "error" | "success" } | null;

/**
 * The one polite live region of a section. It is always in the page (screen
 * readers only announce changes to a region that already exists) but takes no
 * room while empty; `className` spacing applies only while it shows something.
 */
export function StatusLine({ status, className = "" }: { status: StatusMessage; className?: string }) {
  const tone =
    status?.tone === "error"
      ? "font-medium text-red-700 dark:text-red-300"
      : status?.tone === "success"
        ? "font-medium text-green-800 dark:text-green-300"
        : "text-slate-700 dark:text-slate-300";
  return (
    <p role="status" aria-live="polite" className={`text-sm ${tone} ${status ? className : ""}`}>
      {status?.text}
    </p>
  );
}
