/**
 * The CodeMirror 6 editor for scenario YAML: line numbers, folding, lint gutter and underlines
 * from the scenario parser (debounced), completion from the format's schema, brackets,
 * indentation, search, undo. Tab is left to the page (it moves the focus, as everywhere);
 * Mod-Enter runs the scenario.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  indentUnit,
} from '@codemirror/language';
import { linter, lintGutter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { EditorState, Prec } from '@codemirror/state';
import {
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { parseScenario } from '../scenario/parse';
import { scenarioCompletion } from './completion';
import { issuesToDiagnostics, type TextDiagnostic } from './diagnostics';
import { editorTheme } from './editorTheme';

/** How long typing must pause before the text is checked again. */
export const LINT_DELAY_MS = 250;

export interface EditorHooks {
  /** The text was checked: these are its problems (none when it is a valid scenario). */
  readonly onProblems: (problems: readonly TextDiagnostic[]) => void;
  /** Mod-Enter. */
  readonly onRun: () => void;
  /** The id of the element that describes the text box (the status line). */
  readonly describedBy: string;
}

/** The text's problems, as the parser reports them; never throws. */
export function checkText(text: string): TextDiagnostic[] {
  try {
    const r = parseScenario(text);
    return r.ok ? [] : issuesToDiagnostics(text, r.issues);
  } catch (e) {
    const message = `the scenario could not be checked: ${e instanceof Error ? e.message : String(e)}`;
    return [{ from: 0, to: 0, severity: 'error', message, place: '1:1' }];
  }
}

/** An editor on `doc` in `parent`; destroy it with `view.destroy()`. */
export function createEditor(parent: HTMLElement, doc: string, hooks: EditorHooks): EditorView {
  const lint = linter(
    (view): Diagnostic[] => {
      const problems = checkText(view.state.doc.toString());
      hooks.onProblems(problems);
      return problems.map(({ from, to, severity, message }) => ({ from, to, severity, message }));
    },
    { delay: LINT_DELAY_MS },
  );
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      foldGutter(),
      lintGutter(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      autocompletion({ override: [scenarioCompletion] }),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      yaml(),
      indentUnit.of('  '),
      EditorState.tabSize.of(2),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        'aria-label': 'Scenario text (YAML)',
        'aria-describedby': hooks.describedBy,
        // Focusable as it is (contenteditable); said outright, so that checkers see the
        // scrolling box around it has keyboard access.
        tabindex: '0',
      }),
      Prec.highest(
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              hooks.onRun();
              return true;
            },
          },
        ]),
      ),
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...completionKeymap,
        ...lintKeymap,
      ]),
      editorTheme(),
      lint,
    ],
  });
  return new EditorView({ state, parent });
}
