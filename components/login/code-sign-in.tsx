"use client";

// Placeholder until the code form lands (issue 5).
export function CodeSignIn(props: { next: string; loginHint?: string }) {
  return <p data-next={props.next}>{props.loginHint}</p>;
}
