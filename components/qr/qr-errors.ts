// What the phone shows for each refusal of SPEC §3.4, in words for a person rather than a developer.
const ERRORS: Record<string, { title: string; detail: string }> = {
  expired_token: { title: "This request has expired", detail: "Nothing was signed in. Show a new QR code on the other screen and scan it again." },
  qr_already_used: { title: "This request was already answered", detail: "It cannot be approved or denied again. To sign in, show a new QR code on the other screen." },
  qr_not_found: { title: "This QR code is not valid", detail: "Show a new QR code on the other screen and scan it again." },
  invalid_token: { title: "You were signed out", detail: "Sign in on this phone again, then scan the code again." },
};

export function describeError(code: string | undefined): { title: string; detail: string } {
  return ERRORS[code ?? ""] ?? { title: "Something went wrong", detail: "Nothing was signed in. Try scanning the code again." };
}
