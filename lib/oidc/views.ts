import { config } from "@/lib/config";

// Pages the provider itself answers with (errors, logout). They are plain HTML
// with inline styles that follow the portal's look, because they are rendered
// inside oidc-provider, outside React and the Tailwind build.

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const STYLE = `
:root{color-scheme:light dark}
*{box-sizing:border-box}
body{margin:0;min-height:100dvh;background:#f8fafc;color:#0f172a;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;-webkit-font-smoothing:antialiased}
main{max-width:28rem;margin:0 auto;padding:2.5rem 1rem}
.brand{font-size:.875rem;font-weight:600;color:#334155;margin:0 0 1.5rem}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
h1{font-size:1.375rem;line-height:1.3;font-weight:600;margin:0 0 .75rem}
p{margin:0 0 .75rem;color:#334155}
.actions{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin-top:1.25rem}
.actions.one{grid-template-columns:1fr}
button,.button{display:inline-flex;align-items:center;justify-content:center;border-radius:.5rem;padding:.625rem 1rem;font:inherit;font-size:.875rem;font-weight:500;cursor:pointer;text-decoration:none;border:1px solid #cbd5e1;background:#fff;color:#0f172a}
button.primary,.button.primary{background:#2563eb;border-color:#2563eb;color:#fff}
button:hover{filter:brightness(.96)}
:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
details{margin-top:1rem;font-size:.875rem;color:#475569}
summary{cursor:pointer;font-weight:500}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:.75rem 0 0}
dt{font-weight:500}dd{margin:0;word-break:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.8125rem}
@media (min-width:640px){main{padding-top:4rem}.card{padding:1.5rem}}
@media (prefers-color-scheme:dark){body{background:#020617;color:#f1f5f9}.brand,p{color:#cbd5e1}.card{background:#0f172a;border-color:#1e293b}
button,.button{background:#0f172a;border-color:#475569;color:#f1f5f9}button.primary,.button.primary{background:#3b82f6;border-color:#3b82f6;color:#020617}details{color:#94a3b8}}
`;

type Page = { title: string; heading: string; paragraphs: string[]; details?: Record<string, string | undefined>; actionsHtml?: string };

/** A whole page; every interpolated value is escaped here, except actionsHtml which callers build from escaped parts. */
export function htmlPage(page: Page): string {
  const details = Object.entries(page.details ?? {}).filter(([, v]) => v);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(page.title)} · ${escapeHtml(config().APP_NAME)}</title><style>${STYLE}</style></head>
<body><main><p class="brand">${escapeHtml(config().APP_NAME)}</p><div class="card">
<h1>${escapeHtml(page.heading)}</h1>
${page.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${page.actionsHtml ?? ""}
${
  details.length
    ? `<details><summary>Details for the app's developer</summary><dl>${details.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl></details>`
    : ""
}
</div></main></body></html>`;
}

type ErrorInput = { error: string; description?: string; clientName?: string; clientId?: string; requestId?: string };

/**
 * What a person sees when an app's request cannot be answered by sending them
 * back to it (unknown app, unregistered return address, expired request).
 * Never a redirect: the return address is exactly what cannot be trusted.
 */
export function errorPage({ error, description, clientName, clientId, requestId }: ErrorInput): string {
  const app = clientName ?? "The app that sent you here";
  let fix: string | undefined;
  let heading = "This sign-in request can't be completed";
  let paragraphs = [`${app} sent a request that ${config().APP_NAME} can't answer. Nothing was shared with it.`, "Go back to the app and try again; if this keeps happening, tell the app's support team."];
  if (error === "invalid_redirect_uri" || /redirect_uri/.test(description ?? "")) {
    heading = "This app's return address isn't registered";
    paragraphs = [
      `${app} asked ${config().APP_NAME} to send you back to an address it has not registered, so we stopped here rather than send your sign-in somewhere unexpected. Nothing was shared.`,
      "Go back to the app and try again; if this keeps happening, tell the app's support team.",
    ];
    fix = "redirect_uri must equal one registered for this client, character for character (see npm run client -- list).";
  } else if (error === "invalid_client") {
    heading = "This app isn't registered";
    paragraphs = [`The app that sent you here is not registered with ${config().APP_NAME}, so there is nowhere safe to send you back to. Nothing was shared.`];
    fix = "Register the client with npm run client -- add, and use the client_id it prints.";
  } else if (/expired|not found|cookie/.test(description ?? "") && error === "invalid_request") {
    heading = "This sign-in request has expired";
    paragraphs = ["It took too long, or it was opened in another browser. Go back to the app and start signing in again."];
  }
  return htmlPage({ title: heading, heading, paragraphs, details: { error, error_description: description, client_id: clientId, fix, request_id: requestId } });
}

export function logoutPage({ formHtml, clientName }: { formHtml: string; clientName?: string }): string {
  const who = clientName ? `${clientName} asked to sign you out.` : "An app asked to sign you out.";
  return htmlPage({
    title: "Sign out",
    heading: `Sign out of ${config().APP_NAME}?`,
    paragraphs: [who, `Signing out also ends your ${config().APP_NAME} session in this browser.`],
    actionsHtml: `${formHtml}<div class="actions"><button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>Sign out</button><button type="submit" form="op.logoutForm">Stay signed in</button></div>`,
  });
}

export function loggedOutPage({ clientName }: { clientName?: string }): string {
  return htmlPage({
    title: "Signed out",
    heading: "You're signed out",
    paragraphs: [clientName ? `You signed out of ${clientName} and ${config().APP_NAME}.` : `You signed out of ${config().APP_NAME}.`, "You can close this tab."],
    actionsHtml: `<div class="actions one"><a class="button" href="/login">Sign in again</a></div>`,
  });
}

/** The portal's answer when an interaction cannot continue in this browser. */
export function interactionProblem(kind: "expired" | "account_changed" | "forbidden"): { status: number; html: string } {
  if (kind === "account_changed") {
    return {
      status: 409,
      html: htmlPage({
        title: "Signed in as someone else",
        heading: "You're now signed in as someone else",
        paragraphs: ["This sign-in started for a different account. Go back to the app and start signing in again."],
      }),
    };
  }
  if (kind === "forbidden") {
    return {
      status: 403,
      html: htmlPage({ title: "Request refused", heading: "This request came from another site", paragraphs: ["For your safety it was refused. Go back to the app and start again."] }),
    };
  }
  return {
    status: 410,
    html: htmlPage({
      title: "Sign-in expired",
      heading: "This sign-in request has expired",
      paragraphs: ["It took too long, or it was opened in another browser. Go back to the app and start signing in again."],
    }),
  };
}
