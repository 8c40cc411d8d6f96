/**
 * What the scenario editor edits (light: types and one hook, in the first bundle; the editor
 * itself, CodeMirror and the parser load when it opens).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScenarioIssue } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';

/** Where a scenario's original text comes from. */
export type EditorOrigin =
  /** A library scenario: its YAML file (loaded on demand). */
  | { readonly kind: 'library'; readonly id: string; readonly scenario: Scenario }
  /** A scenario file (`?src=`): its text as fetched. */
  | { readonly kind: 'text'; readonly text: string }
  /** A scenario that came as data (a share link): written out as YAML. */
  | { readonly kind: 'scenario'; readonly scenario: Scenario };

export interface EditorSource {
  /** Edits are kept per source: one draft for each library scenario, file or link. */
  readonly key: string;
  /** What the editor says it edits: `teach-ebusy.yaml`, a file's URL, `the shared link`. */
  readonly name: string;
  readonly origin: EditorOrigin;
}

/** What Run did: the page shows the edited scenario at `step` of `steps`, or it did not run. */
export type RunOutcome =
  | { readonly ran: true; readonly step: number; readonly steps: number }
  | {
      readonly ran: false;
      readonly reason: string;
      /** The validator's findings, when the text is not a valid scenario. */
      readonly issues?: readonly ScenarioIssue[];
    };

/**
 * The editor panel's state in the page: open or not, the button that opens it (focus returns
 * there when it closes), and the unsaved text of each source, kept while the page lives.
 */
export function useScenarioEditor() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // One Map for the page's life, changed in place: typing must not re-render the page.
  const [drafts] = useState(() => new Map<string, string>());
  const wasOpen = useRef(false);
  // Opening moves the focus into the text; a panel that comes back for another scenario
  // (picked meanwhile) leaves it where it is.
  const focusNext = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const toggle = useCallback(() => {
    focusNext.current = !wasOpen.current;
    setOpen((o) => !o);
  }, []);
  const close = useCallback(() => setOpen(false), []);
  /** Whether the panel now mounting should take the focus (once per opening). */
  const takeFocus = useCallback(() => {
    const take = focusNext.current;
    focusNext.current = false;
    return take;
  }, []);
  return { open, toggle, close, button, drafts, takeFocus };
}
