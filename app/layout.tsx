import type { Metadata, Viewport } from "next";
import { DemoBanner } from "@/components/demo-banner";
import { config } from "@/lib/config";
import "./globals.css";

// Every page depends on the running configuration (demo banner, app name), never on the build.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: { default: config().APP_NAME, template: `%s · ${config().APP_NAME}` }, robots: { index: false } };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  const { demo, DELIVERY } = config();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {demo ? <DemoBanner outbox={DELIVERY === "outbox"} /> : null}
        {children}
      </body>
    </html>
  );
}
