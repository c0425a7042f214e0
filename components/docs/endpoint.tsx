import type { EndpointView } from "./model";
import { CodeBlock, FieldList, MethodBadge, Prose } from "./parts";

const subheading = "mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function Endpoint({ view }: { view: EndpointView }) {
  const { operation } = view;
  const headingId = `${view.id}-title`;
  return (
    <section id={view.id} aria-labelledby={headingId} className="scroll-mt-6 border-t border-slate-200 pt-8 dark:border-slate-800">
      <h3 id={headingId} className="text-xl font-semibold">
        {operation.summary}
      </h3>
      <p className="mt-2 flex min-w-0 items-center gap-2">
        <MethodBadge method={view.method} />
        <code className="font-mono text-sm font-medium break-all">{view.path}</code>
      </p>
      <Prose text={operation.description} className="mt-3 text-slate-700 dark:text-slate-300" />
      {view.bearer ? (
        <p className="mt-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          Needs an access token: <code className="font-mono">Authorization: Bearer &lt;access_token&gt;</code>
        </p>
      ) : null}

      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <div className="min-w-0 space-y-6">
          {view.parameters.length ? (
            <div>
              <h4 className={subheading}>Query parameters</h4>
              <FieldList groups={[{ fields: view.parameters }]} />
            </div>
          ) : null}
          {view.body.length ? (
            <div>
              <h4 className={subheading}>Request body</h4>
              <FieldList groups={view.body} />
            </div>
          ) : null}
          {!view.parameters.length && !view.body.length ? <p className="text-sm text-slate-600 dark:text-slate-400">No parameters.</p> : null}
          <div>
            <h4 className={subheading}>Errors</h4>
            {view.errors.length ? (
              <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white px-3 text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
                {view.errors.map((error) => (
                  <li key={error.code} className="flex gap-3 py-2.5">
                    <span className="w-9 shrink-0 font-mono font-semibold text-slate-900 dark:text-slate-100">{error.status}</span>
                    <div className="min-w-0">
                      <code className="font-mono font-semibold break-all text-red-800 dark:text-red-300">{error.code}</code>
                      <Prose text={error.when} className="mt-0.5 text-slate-700 dark:text-slate-300" />
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">None.</p>
            )}
          </div>
        </div>

        <div className="min-w-0 space-y-4">
          <CodeBlock label="Example request" code={view.curl} copy />
          <CodeBlock label={`Response ${view.success.status} · ${view.success.description}`} code={json(view.success.example)} />
          {view.others.map((other) => (
            <CodeBlock key={other.status} label={`Response ${other.status} · ${other.description}`} code={json(other.example)} />
          ))}
          {view.success.fields.some((group) => group.fields.length) ? (
            <details className="group rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
              <summary className="cursor-pointer rounded-lg px-3 py-2.5 text-sm font-medium">Response fields</summary>
              <div className="border-t border-slate-200 p-3 dark:border-slate-800">
                <FieldList groups={view.success.fields} />
              </div>
            </details>
          ) : null}
        </div>
      </div>
    </section>
  );
}
