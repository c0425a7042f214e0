import { Fragment } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import type { HttpMethod } from "@/lib/openapi/types";
import type { Field, FieldGroup } from "./model";

/** Text from the API description, with its `backticks` shown as code. */
export function Inline({ text, codeClassName = "rounded bg-slate-100 px-1 py-0.5 text-slate-800 dark:bg-slate-800 dark:text-slate-200" }: { text: string; codeClassName?: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/g).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code key={i} className={`font-mono text-[0.9em] break-words ${codeClassName}`}>
            {part.slice(1, -1)}
          </code>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export function Prose({ text, className }: { text: string; className?: string }) {
  return (
    <p className={className}>
      <Inline text={text} />
    </p>
  );
}

const METHOD_STYLE: Record<HttpMethod, string> = {
  get: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100",
  post: "bg-blue-100 text-blue-900 dark:bg-blue-900/60 dark:text-blue-100",
};

export function MethodBadge({ method }: { method: HttpMethod }) {
  return <span className={`inline-block w-12 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${METHOD_STYLE[method]}`}>{method.toUpperCase()}</span>;
}

export function CodeBlock({ code, label, copy = false }: { code: string; label: string; copy?: boolean }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-slate-800 bg-slate-900 text-slate-100 dark:border-slate-700 dark:bg-slate-900">
      <figcaption className="flex min-h-10 items-center justify-between gap-3 border-b border-slate-700 px-3 py-1.5 text-xs font-medium text-slate-300">
        <span>
          <Inline text={label} codeClassName="text-slate-100" />
        </span>
        {copy ? (
          <CopyButton
            text={code}
            label="Copy"
            className="rounded border border-slate-600 px-2 py-1 text-xs font-medium text-slate-100 hover:bg-slate-800 [&+span]:text-slate-300"
          />
        ) : null}
      </figcaption>
      {/* wrapped, not scrolled sideways: long tokens stay readable on a phone */}
      <pre className="p-3 text-[13px] leading-relaxed whitespace-pre-wrap [overflow-wrap:anywhere]">
        <code>{code}</code>
      </pre>
    </figure>
  );
}

function FieldRow({ field }: { field: Field }) {
  return (
    <div className="grid gap-1 border-t border-slate-200 py-3 first:border-t-0 sm:grid-cols-[minmax(9rem,14rem)_1fr] sm:gap-4 dark:border-slate-800">
      <dt className="min-w-0">
        <code className="font-mono text-sm font-semibold break-all text-slate-900 dark:text-slate-100">{field.name}</code>
        <div className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-slate-600 dark:text-slate-400">
          <span className="font-mono [overflow-wrap:anywhere]">{field.type}</span>
          {field.required ? <span className="font-semibold text-amber-800 dark:text-amber-300">required</span> : <span>optional</span>}
        </div>
      </dt>
      <dd className="min-w-0 text-sm text-slate-700 dark:text-slate-300">
        {field.description ? <Prose text={field.description} /> : null}
        {field.constraints ? <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{field.constraints}</p> : null}
        {field.example !== undefined ? (
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Example: <code className="font-mono break-all text-slate-800 dark:text-slate-200">{field.example}</code>
          </p>
        ) : null}
      </dd>
    </div>
  );
}

export function FieldList({ groups }: { groups: FieldGroup[] }) {
  return (
    <div className="space-y-4">
      {groups.map((group, i) => (
        <div key={group.title ?? i}>
          {group.title ? (
            <p className="mb-1 text-sm">
              <span className="font-semibold">{group.title}</span>
              {group.description ? (
                <span className="text-slate-600 dark:text-slate-400">
                  {" — "}
                  <Inline text={group.description} />
                </span>
              ) : null}
            </p>
          ) : null}
          <dl className="rounded-lg border border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
            {group.fields.map((field) => (
              <FieldRow key={field.name} field={field} />
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
