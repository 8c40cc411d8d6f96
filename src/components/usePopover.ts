/**
 * What the Share and Export popups have in common: open/closed, which edge of the button the
 * popup hangs from (the one that keeps it on screen), closing on a click outside, and giving
 * focus back to the button when closed from the keyboard.
 */
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';

export type Side = 'left' | 'right';

export const popoverWrapStyle: CSSProperties = { position: 'relative', display: 'inline-block' };

/** Which edge of the button the popup hangs from. */
export function sideStyle(side: Side): CSSProperties {
  return side === 'left' ? { left: 0 } : { right: 0 };
}

/**
 * `onOpen` runs when the popup opens (e.g. to move focus into it); `onClose` when it closes.
 * Both are read at the time they run, so they need not be stable.
 */
export function usePopover(onOpen: () => void, onClose?: () => void) {
  const [open, setOpen] = useState(false);
  const [side, setSide] = useState<Side>('right');
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const hooks = useRef({ onOpen, onClose });
  hooks.current = { onOpen, onClose };

  const close = useCallback((focusButton: boolean) => {
    setOpen(false);
    hooks.current.onClose?.();
    if (focusButton) button.current?.focus();
  }, []);

  const show = useCallback(() => {
    const r = button.current?.getBoundingClientRect();
    setSide(r && r.left + r.width / 2 < window.innerWidth / 2 ? 'left' : 'right');
    setOpen(true);
  }, []);

  useEffect(() => {
    if (!open) return;
    hooks.current.onOpen();
    const onDown = (e: PointerEvent) => {
      if (e.target instanceof Node && !wrap.current?.contains(e.target)) close(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open, close]);

  return { open, side, wrap, button, close, show };
}
