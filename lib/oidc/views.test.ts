import { describe, expect, it } from "vitest";
import { errorPage, logoutPage } from "./views";

describe("the provider's own pages", () => {
  it("escape everything an app or a request put in them", () => {
    const html = errorPage({ error: "invalid_request", description: '<script>alert("x")</script>', clientName: "<b>Evil</b>", requestId: "r1" });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>Evil</b>");
    expect(html).toContain("&lt;b&gt;Evil&lt;/b&gt;");
  });

  it("explain an unregistered return address without sending anyone anywhere", () => {
    const html = errorPage({ error: "invalid_redirect_uri", description: "redirect_uri did not match any of the client's registered redirect_uris", clientName: "Acme" });
    expect(html).toContain("This app&#39;s return address isn&#39;t registered");
    expect(html).not.toMatch(/http-equiv="refresh"|<script/);
  });

  it("ask before signing out, with both choices as buttons of the logout form", () => {
    const html = logoutPage({ formHtml: '<form id="op.logoutForm" method="post" action="/x"></form>', clientName: "Acme" });
    expect(html).toContain('form="op.logoutForm" name="logout" value="yes"');
    expect(html).toContain("Stay signed in");
    expect(html).toContain("Acme asked to sign you out.");
  });
});
