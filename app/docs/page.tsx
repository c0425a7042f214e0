import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";
import { config } from "@/lib/config";
import { openApiDocument } from "@/lib/openapi/build-document";

export const metadata: Metadata = { title: "API reference" };

export default function DocsPage() {
  const { publicOrigin, APP_NAME } = config();
  return <ApiReference document={openApiDocument({ serverUrl: publicOrigin, appName: APP_NAME })} />;
}
