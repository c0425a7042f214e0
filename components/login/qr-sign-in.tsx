"use client";

// Placeholder until the QR screen lands (issue 4).
export function QrSignIn(props: { next: string }) {
  return <p data-next={props.next} />;
}
