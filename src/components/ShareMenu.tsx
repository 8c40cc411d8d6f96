/**
 * "Share": a button opening a small popover with a link to the current view (scenario, and
 * step if "At this step" is ticked), a "Copy link" button, and, with "Embed" ticked, an iframe
 * snippet to copy. Links are made by encodeShare (src/share/encode.ts); the popover closes on
 * Escape (focus back on the button) or a click outside.
 *
 * HOW TO MOUNT (it needs no store; put it anywhere, e.g. in the header or the dock):
 *
 *   import { ShareMenu } from './components/ShareMenu';
 *   <ShareMenu
 *     scenario={{ kind: 'library', id: scenario.id }}   // a library scenario, or
 *     // scenario={{ kind: 'inline', scenario }}        // an edited / ?src= / ?s= scenario
 *     step={step}              // the current step number: stepNumberAt(timeline, cursor)
 *     title={scenario.title}   // optional: the embed's title (default: the scenario's)
 *     theme="dark"             // optional: 'light' | 'dark', written into the embed link only
 *   />
 *
 * Optional: `base` (the page URL links start from; default `window.location.href`).
 * Inside <Viewer>, `step` is `useSim((s) => stepNumberAt(s.timeline, s.cursor))` (src/store/
 * timeline.ts). Reading `?s=` links back is the app's part: see decodeShare in
 * src/share/shareLink.ts (load it with `await import()`, it brings the scenario parser).
 */
import { useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { popoverWrapStyle, sideStyle, usePopover } from './usePopover';
import {
  encodeShare,
  iframeSnippet,
  LONG_LINK_CHARS,
  MAX_SHARE_PAYLOAD,
  type ShareScenario,
  type Theme,
} from '../share/encode';

export interface ShareMenuProps {
  readonly scenario: ShareScenario;
  readonly step: number;
  readonly title?: string;
  readonly theme?: Theme;
  readonly base?: string;
}

const popStyle: CSSProperties = {
  position: 'absolute',
  top: 'calc(100% + 0.3rem)',
  zIndex: 30,
  width: 'min(30rem, 90vw)',
  padding: '0.6rem 0.8rem',
  background: 'var(--node)',
  color: 'var(--fg)',
  border: '1px solid var(--border)',
  borderRadius: 6,
  boxShadow: '0 4px 16px rgb(0 0 0 / 12%)',
  fontSize: '0.88rem',
  display: 'flex',
  flexDirection: 'column',
  gap: '0.45rem',
};
const rowStyle: CSSProperties = { display: 'flex', gap: '0.4rem', alignItems: 'center' };
const fieldStyle: CSSProperties = {
  flex: 1,
  minWidth: 0,
  fontFamily: 'ui-monospace, monospace',
  fontSize: '0.8rem',
  padding: '0.25rem 0.4rem',
  border: '1px solid var(--border)',
  borderRadius: 4,
  background: 'var(--panel)',
  color: 'var(--fg)',
};
const labelStyle: CSSProperties = { fontWeight: 600 };
const noteStyle: CSSProperties = { margin: 0, color: 'var(--muted)', fontSize: '0.8rem' };

/** The last copy: what, how, and the text it copied (stale once the text changes). */
type Copied = {
  readonly what: 'link' | 'embed';
  readonly how: 'copied' | 'selected';
  readonly text: string;
} | null;

/** Copies with the Clipboard API when the page may; otherwise selects the text for Ctrl+C. */
async function copyText(
  text: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
): Promise<'copied' | 'selected'> {
  try {
    if (window.isSecureContext && typeof navigator.clipboard?.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return 'copied';
    }
  } catch {
    // Refused (no permission, no focus): fall back to selecting.
  }
  field?.focus();
  field?.select();
  return 'selected';
}

export function ShareMenu({ scenario, step, title, theme, base }: ShareMenuProps) {
  const linkField = useRef<HTMLInputElement>(null);
  const embedField = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<Copied>(null);
  const { open, side, wrap, button, close, show } = usePopover(
    () => {
      linkField.current?.focus();
      linkField.current?.select();
    },
    () => setCopied(null),
  );
  const [atStep, setAtStep] = useState(true);
  const [embed, setEmbed] = useState(false);
  const id = useId();

  const shown = atStep ? step : 0;
  const pageUrl =
    base ?? (typeof window !== 'undefined' ? window.location.href : 'http://localhost/');
  const link = useMemo(
    () => (open ? encodeShare({ scenario, step: shown }, pageUrl) : ''),
    [open, scenario, shown, pageUrl],
  );
  const embedCode = useMemo(() => {
    if (!open || !embed) return '';
    const url = encodeShare(
      { scenario, step: shown, view: { embed: true, ...(theme ? { theme } : {}) } },
      pageUrl,
    );
    const name = title ?? (scenario.kind === 'inline' ? scenario.scenario.title : scenario.id);
    return iframeSnippet(url, name);
  }, [open, embed, scenario, shown, theme, title, pageUrl]);
  // The `s` parameter's length, as decodeShare will measure it.
  const payload = scenario.kind === 'inline' ? (/[?&]s=([^&]*)/.exec(link)?.[1] ?? '') : '';
  const tooLong = payload.length > MAX_SHARE_PAYLOAD;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  };

  const copy = async (what: 'link' | 'embed') => {
    const text = what === 'link' ? link : embedCode;
    const how = await copyText(text, what === 'link' ? linkField.current : embedField.current);
    setCopied({ what, how, text });
  };

  const status =
    copied === null || copied.text !== (copied.what === 'link' ? link : embedCode)
      ? ''
      : copied.how === 'copied'
        ? copied.what === 'link'
          ? 'Link copied.'
          : 'Embed code copied.'
        : 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';

  return (
    <div className="share-menu" ref={wrap} style={popoverWrapStyle} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-pop`}
        aria-haspopup="dialog"
        onClick={() => (open ? close(false) : show())}
      >
        Share
      </button>
      {open ? (
        <div
          id={`${id}-pop`}
          role="dialog"
          aria-label="Share this view"
          className="share-popover"
          data-testid="share-popover"
          style={{ ...popStyle, ...sideStyle(side) }}
        >
          <div style={rowStyle}>
            <label style={{ ...rowStyle, gap: '0.3rem' }}>
              <input
                type="checkbox"
                checked={atStep}
                onChange={(e) => setAtStep(e.target.checked)}
              />
              At this step
            </label>
            <span style={noteStyle}>{atStep ? `(step ${step})` : '(from the start)'}</span>
            <label style={{ ...rowStyle, gap: '0.3rem', marginLeft: 'auto' }}>
              <input type="checkbox" checked={embed} onChange={(e) => setEmbed(e.target.checked)} />
              Embed
            </label>
          </div>
          <label htmlFor={`${id}-link`} style={labelStyle}>
            Link
          </label>
          <div style={rowStyle}>
            <input
              id={`${id}-link`}
              ref={linkField}
              data-testid="share-link"
              type="text"
              readOnly
              value={link}
              spellCheck={false}
              style={fieldStyle}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="primary" onClick={() => void copy('link')}>
              Copy link
            </button>
          </div>
          {tooLong ? (
            <p role="alert" style={{ ...noteStyle, color: 'var(--err)' }}>
              This scenario is too large for a link ({payload.length} characters; links up to{' '}
              {MAX_SHARE_PAYLOAD} open): share the file instead.
            </p>
          ) : link.length > LONG_LINK_CHARS ? (
            <p style={noteStyle}>
              This link is {link.length.toLocaleString('en')} characters long: some chat apps and
              servers cut links that long.
            </p>
          ) : null}
          {embed ? (
            <>
              <label htmlFor={`${id}-embed`} style={labelStyle}>
                Embed code
              </label>
              <div style={{ ...rowStyle, alignItems: 'flex-start' }}>
                <textarea
                  id={`${id}-embed`}
                  ref={embedField}
                  data-testid="share-embed"
                  readOnly
                  rows={4}
                  value={embedCode}
                  spellCheck={false}
                  style={{ ...fieldStyle, resize: 'vertical' }}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <button type="button" onClick={() => void copy('embed')}>
                  Copy embed code
                </button>
              </div>
            </>
          ) : null}
          <p role="status" aria-live="polite" style={noteStyle} data-testid="share-status">
            {status}
          </p>
        </div>
      ) : null}
    </div>
  );
}
