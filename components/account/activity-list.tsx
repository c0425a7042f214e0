import { LocalTime } from "@/components/ui/local-time";
import type { ActivityItem } from "@/lib/account/list-activity";

/** Recent account events, newest first; failures and suspicious events stand out. */
export function ActivityList({ items }: { items: ActivityItem[] }) {
  if (!items.length) return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing yet.</p>;
  return (
    <ol className="divide-y divide-slate-200 dark:divide-slate-800">
      {items.map((item) => (
        <li key={item.id} className="flex gap-3 py-3 first:pt-0 last:pb-0" data-testid="activity">
          <span
            aria-hidden="true"
            className={`mt-1.5 size-2.5 shrink-0 rounded-full ${item.warning ? "bg-amber-500" : "bg-slate-400 dark:bg-slate-500"}`}
          />
          <div className="min-w-0 space-y-0.5">
            <p className={`break-words ${item.warning ? "font-medium text-amber-900 dark:text-amber-200" : ""}`}>
              {item.warning ? <span className="sr-only">Warning: </span> : null}
              {item.text}
            </p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <LocalTime iso={item.at.toISOString()} relativeWithinDay />
              {item.device ? <> · {item.device}</> : null}
              {item.ip ? <> · IP {item.ip}</> : null}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
