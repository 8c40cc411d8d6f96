/**
 * The editor's look, from the page's CSS variables (App.css), so it follows the light and the
 * dark theme (`data-theme` on <html>) without being rebuilt; text colours are the ones App.css
 * keeps at 4.5:1 or more on --bg and --panel.
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";

const look = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--bg)',
    fontSize: '0.85rem',
    height: '100%',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: MONO, lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    { backgroundColor: 'var(--editor-selection)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-gutters': {
    backgroundColor: 'var(--panel)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--panel-2)', color: 'var(--fg)' },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--panel-2)',
    border: '1px solid var(--border)',
    color: 'var(--muted)',
  },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': {
    backgroundColor: 'var(--highlight)',
    outline: '1px solid var(--frame)',
  },
  '.cm-nonmatchingBracket, &.cm-focused .cm-nonmatchingBracket': { color: 'var(--err)' },
  '.cm-searchMatch': { backgroundColor: 'var(--highlight)', outline: '1px solid var(--frame)' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--editor-selection)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--err)',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintPoint-error:after': { borderBottomColor: 'var(--err)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    boxShadow: '0 4px 16px var(--shadow)',
  },
  '.cm-tooltip .cm-tooltip-arrow:before': { borderTopColor: 'var(--border)' },
  '.cm-tooltip .cm-tooltip-arrow:after': { borderTopColor: 'var(--panel)' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: MONO, maxHeight: '14em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li': { padding: '1px 0.5em' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    backgroundColor: 'var(--blue)',
    color: 'var(--on-accent)',
  },
  '.cm-completionDetail': { color: 'inherit', opacity: 1, fontStyle: 'normal', marginLeft: '1em' },
  '.cm-tooltip-autocomplete ul li:not([aria-selected]) .cm-completionDetail': {
    color: 'var(--muted)',
  },
  '.cm-completionMatchedText': { textDecoration: 'underline', fontWeight: 700 },
  '.cm-completionInfo': { padding: '0.3rem 0.6rem', maxWidth: '22rem' },
  '.cm-diagnostic': { padding: '0.2rem 0.5rem' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--err)' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--fg)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-panel input, .cm-panel button': { color: 'var(--fg)' },
  '.cm-textfield': {
    backgroundColor: 'var(--bg)',
    border: '1px solid var(--frame)',
    color: 'var(--fg)',
  },
  '.cm-button': {
    backgroundImage: 'none',
    backgroundColor: 'var(--node)',
    border: '1px solid var(--border)',
    color: 'var(--fg)',
  },
});

/** YAML colours: keys, strings, numbers and constants, comments, anchors and tags. */
const colours = HighlightStyle.define([
  { tag: [t.definition(t.propertyName), t.propertyName], color: 'var(--blue)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ok)' },
  { tag: t.content, color: 'var(--fg)' },
  { tag: [t.number, t.bool, t.null, t.atom, t.keyword], color: 'var(--purple)' },
  { tag: [t.comment, t.lineComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.labelName, t.typeName], color: 'var(--vermillion-text)' },
  { tag: [t.meta, t.separator, t.punctuation, t.brace, t.squareBracket], color: 'var(--muted)' },
  { tag: t.invalid, color: 'var(--err)' },
]);

/** The editor's theme and syntax colours. */
export function editorTheme(): Extension {
  return [look, syntaxHighlighting(colours)];
}
