"use client";

import { useEffect, useState } from "react";
import { guessIdentityKind, refinePhoneKind, type IdentityKind } from "./identity-kind";

/**
 * What the typed identity looks like, as the user types: a cheap guess at once,
 * refined for phone numbers (mobile or landline) when the number library has loaded.
 */
export function useIdentityKind(identity: string): { kind: IdentityKind; wallet: boolean; phone: boolean } {
  const [phoneKind, setPhoneKind] = useState<{ value: string; kind: IdentityKind } | null>(null);
  const guessed = guessIdentityKind(identity);
  const kind = guessed === "phone" && phoneKind?.value === identity ? phoneKind.kind : guessed;

  useEffect(() => {
    if (guessed !== "phone") return;
    let current = true;
    refinePhoneKind(identity).then(
      (refined) => current && setPhoneKind({ value: identity, kind: refined }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [guessed, identity]);

  return { kind, wallet: kind === "ethereum" || kind === "bitcoin", phone: guessed === "phone" };
}
