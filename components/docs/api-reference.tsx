import type { OpenApiDocument } from "@/lib/openapi/types";
import { Endpoint } from "./endpoint";
import { endpointViews, type EndpointView } from "./model";
import { CodeBlock, MethodBadge, Prose } from "./parts";

type Section = { tag: string; description: string; endpoints: EndpointView[] };

function sections(doc: OpenApiDocument): Section[] {
  const views = endpointViews(doc);
  return doc.tags
    .map((tag) => ({ tag: tag.name, description: tag.description, endpoints: views.filter((v) => v.operation.tags[0] === tag.name) }))
    .filter((section) => section.endpoints.length);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function Contents({ groups }: { groups: Section[] }) {
  return (
    <ol className="space-y-5 text-sm">
      <li>
        <a href="#overview" className="font-semibold hover:underline">
          Overview
        </a>
      </li>
      {groups.map((group) => (
        <li key={group.tag}>
          <a href={`#${slug(group.tag)}`} className="font-semibold hover:underline">
            {group.tag}
          </a>
          <ol className="mt-2 space-y-1">
            {group.endpoints.map((view) => (
              <li key={view.id}>
                <a href={`#${view.id}`} className="flex items-center gap-2 rounded px-1 py-1 text-slate-700 hover:bg-slate-200/70 dark:text-slate-300 dark:hover:bg-slate-800">
                  <MethodBadge method={view.method} />
                  <span className="min-w-0">{view.operation.summary}</span>
                </a>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}

const ENVELOPE = `{
  "error": "invalid_code",
  "error_description": "The code is wrong, or there is no code waiting for this identity.",
  "attempts_remaining": 4
}`;

/** The human API reference, rendered from the OpenAPI document and nothing else. */
export function ApiReference({ document: doc }: { document: OpenApiDocument }) {
  const groups = sections(doc);
  const server = doc.servers[0]?.url ?? "";
  const bearer = doc.components.securitySchemes.bearerAuth;
  return (
    <div className="mx-auto w-full max-w-7xl px-4 py-8 sm:px-6 lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-10 lg:py-12">
      <nav aria-label="API reference" className="hidden lg:block">
        <div className="sticky top-6 max-h-[calc(100dvh-3rem)] overflow-y-auto pr-2 pb-6">
          <p className="mb-4 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">On this page</p>
          <Contents groups={groups} />
        </div>
      </nav>

      <main className="min-w-0">
        <header id="overview" className="scroll-mt-6">
          <p className="text-sm font-medium text-blue-700 dark:text-blue-300">API reference</p>
          <h1 className="mt-1 text-3xl font-semibold tracking-tight">{doc.info.title}</h1>
          {doc.info.description.split("\n\n").map((paragraph) => (
            <Prose key={paragraph} text={paragraph} className="mt-3 max-w-3xl text-slate-700 dark:text-slate-300" />
          ))}
        </header>

        <details className="mt-6 rounded-lg border border-slate-200 bg-white lg:hidden dark:border-slate-800 dark:bg-slate-900">
          <summary className="cursor-pointer rounded-lg px-4 py-3 font-medium">On this page</summary>
          <nav aria-label="API reference (compact)" className="border-t border-slate-200 px-4 py-4 dark:border-slate-800">
            <Contents groups={groups} />
          </nav>
        </details>

        <div className="mt-8 grid gap-6 xl:grid-cols-2">
          <div className="min-w-0 space-y-4 text-slate-700 dark:text-slate-300">
            <div>
              <h2 className="text-lg font-semibold text-slate-900 dark:text-slate-100">Base URL</h2>
              <p className="mt-1">
                <code className="font-mono text-sm break-all">{server}</code>
              </p>
            </div>
            <div>
              <h2 className="text-lg font-semibold text-slate-900 dark:text-slate-100">Authentication</h2>
              <Prose text={bearer.description} className="mt-1" />
              <Prose text="Sign in with `/v1/oauth/sign` and `/v1/oauth/verify` to get one; keep the refresh token to get the next." className="mt-1" />
            </div>
            <div>
              <h2 className="text-lg font-semibold text-slate-900 dark:text-slate-100">Machine-readable</h2>
              <p className="mt-1">
                This page is generated from{" "}
                <a className="font-medium text-blue-700 underline underline-offset-2 dark:text-blue-300" href="/v1/openapi.json">
                  /v1/openapi.json
                </a>{" "}
                (OpenAPI {doc.openapi}); import it into your client generator or API tool.
              </p>
            </div>
          </div>
          <div className="min-w-0">
            <CodeBlock label="Every error looks like this" code={ENVELOPE} />
          </div>
        </div>

        {groups.map((group) => (
          <section key={group.tag} aria-labelledby={`${slug(group.tag)}-title`} className="mt-14">
            <h2 id={`${slug(group.tag)}-title`} className="scroll-mt-6 text-2xl font-semibold tracking-tight">
              <span id={slug(group.tag)} className="scroll-mt-6">
                {group.tag}
              </span>
            </h2>
            <Prose text={group.description} className="mt-2 mb-6 text-slate-700 dark:text-slate-300" />
            <div className="space-y-12">
              {group.endpoints.map((view) => (
                <Endpoint key={view.id} view={view} />
              ))}
            </div>
          </section>
        ))}
      </main>
    </div>
  );
}
