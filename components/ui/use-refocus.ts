"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

/**
 * A field that takes focus back after a refused attempt: call the returned
 * function, and focus returns once the field is enabled again (the next render).
 */
export function useRefocus<T extends HTMLElement>(): [RefObject<T | null>, () => void] {
  const ref = useRef<T>(null);
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    if (requests) ref.current?.focus();
  }, [requests]);
  const refocus = useCallback(() => setRequests((n) => n + 1), []);
  return [ref, refocus];
}
