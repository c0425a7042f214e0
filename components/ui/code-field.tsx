"use client";

import { forwardRef } from "react";
import { ui } from "./styles";

type Props = {
  id: string;
  value: string;
  length?: number;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  onChange: (digits: string) => void;
  /** called once the field holds `length` digits, typed or pasted */
  onComplete: (digits: string) => void;
};

/**
 * One field for a one-time code: the platform's autofill (`one-time-code`)
 * and a pasted "123 456" or "Your code is 123456" both end up as digits.
 */
export const CodeField = forwardRef<HTMLInputElement, Props>(function CodeField({ id, value, length = 6, disabled, invalid, describedBy, onChange, onComplete }, ref) {
  function accept(raw: string) {
    const digits = raw.replace(/\D/g, "").slice(0, length);
    onChange(digits);
    if (digits.length === length) onComplete(digits);
  }
  return (
    <input
      ref={ref}
      id={id}
      name="code"
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern={`[0-9]{${length}}`}
      spellCheck={false}
      placeholder={"•".repeat(length)}
      value={value}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(event) => accept(event.target.value)}
      className={`${ui.input} text-center font-mono text-2xl tracking-[0.5em] sm:text-3xl`}
    />
  );
});
