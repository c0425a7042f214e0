import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { ui } from "@/components/ui/styles";
import { listOutboxMessages } from "@/lib/delivery/list-outbox-messages";
import { config } from "@/lib/config";

const LOOPBACK = new Set(["127.0.0.1", "::1"]);
const CHANNELS: Record<string, string> = { email: "Email", sms: "SMS", voice: "Voice call" };

/** Only in demo mode with outbox delivery, and only for a browser on this machine. */
async function visible(): Promise<boolean> {
  const { demo, DELIVERY } = config();
  const ip = (await headers()).get("x-werify-client-ip") ?? "";
  return demo && DELIVERY === "outbox" && LOOPBACK.has(ip);
}

export async function generateMetadata(): Promise<Metadata> {
  return (await visible()) ? { title: "Outbox" } : {};
}

/** Demo delivery's mailbox: codes that would have been sent, for this machine only. */
export default async function OutboxPage() {
  // 404 rather than 403: outside a local demo this page does not exist.
  if (!(await visible())) notFound();
  const messages = await listOutboxMessages({ limit: 50 });

  return (
    <main className="mx-auto w-full max-w-3xl px-4 py-8 sm:py-12">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Outbox</h1>
          <p className={`${ui.hint} mt-1`}>Codes the demo would have sent by email, SMS or phone call, newest first. Only this computer can see this page.</p>
        </div>
        <AutoRefresh seconds={3} />
      </div>
      {messages.length === 0 ? (
        <p className={`${ui.card} mt-6 text-slate-700 dark:text-slate-300`}>
          Nothing yet. Ask for a code on the <a className="font-medium text-blue-700 underline dark:text-blue-300" href="/login">sign-in page</a> and it appears here.
        </p>
      ) : (
        <ol className="mt-6 space-y-4">
          {messages.map((message) => (
            <li key={message.id} className={ui.card} data-testid="outbox-message">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
                <p>
                  <span className="font-medium text-slate-900 dark:text-slate-100">{CHANNELS[message.channel] ?? message.channel}</span> to{" "}
                  <span className="wrap-anywhere font-medium text-slate-900 dark:text-slate-100">{message.recipient}</span>
                </p>
                <LocalTime iso={message.createdAt.toISOString()} relativeWithinDay />
              </div>
              {message.code ? (
                <div className="mt-3 flex flex-wrap items-center gap-4">
                  <p className="font-mono text-4xl font-semibold tracking-[0.2em] select-all" aria-label={`Code ${message.code.split("").join(" ")}`}>
                    {message.code}
                  </p>
                  <CopyButton text={message.code} label="Copy code" />
                </div>
              ) : null}
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer text-slate-700 dark:text-slate-300">Full message</summary>
                {message.subject ? <p className="mt-2 font-medium">{message.subject}</p> : null}
                <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-words rounded-lg bg-slate-50 p-3 font-mono text-xs dark:bg-slate-950">{message.body}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}
