/**
 * Completion for the scenario editor: the keys and values the format allows where the cursor
 * is (see yamlCursor.ts and schemaSuggestions.ts), as a CodeMirror completion source.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { ERRNO } from '../core/errno';
import { structOpsTypeNames } from '../core/register';
import { scenarioJsonSchema } from '../scenario/schema';
import { scenarioNames } from './scenarioNames';
import { keySuggestions, valueSuggestions, type Suggestion } from './schemaSuggestions';
import { WORD_CHARS, yamlCursorAt } from './yamlCursor';

let schema: unknown = null;

/** The format's JSON Schema, made once (the same object docs/scenario.schema.json is written from). */
function formatSchema(): unknown {
  schema ??= scenarioJsonSchema();
  return schema;
}

/** The suggestions at offset `pos` of `text`, and the range they replace. */
export function suggestionsAt(
  text: string,
  pos: number,
): { from: number; to: number; prefix: string; options: Suggestion[] } | null {
  const cursor = yamlCursorAt(text, pos);
  if (!cursor) return null;
  const options =
    cursor.kind === 'key'
      ? keySuggestions(
          formatSchema(),
          cursor.path,
          cursor.levels,
          cursor.present,
          cursor.keyHasColon,
        )
      : valueSuggestions(formatSchema(), cursor.path, cursor.levels, {
          names: scenarioNames(cursor.doc),
          errnos: Object.entries(ERRNO),
          structOps: structOpsTypeNames(),
        });
  return { from: cursor.from, to: cursor.to, prefix: cursor.prefix, options };
}

function toCompletion(s: Suggestion): Completion {
  return {
    label: s.label,
    type: s.type,
    ...(s.apply !== undefined ? { apply: s.apply } : {}),
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
    ...(s.info !== undefined ? { info: s.info } : {}),
    ...(s.boost !== undefined ? { boost: s.boost } : {}),
  };
}

/**
 * The completion source: on request (Ctrl-Space) anywhere a key or value goes, and as you type
 * a word there. Key suggestions end in `: ` so that the value can follow.
 */
export function scenarioCompletion(context: CompletionContext): CompletionResult | null {
  const found = suggestionsAt(context.state.doc.toString(), context.pos);
  if (!found || found.options.length === 0) return null;
  if (!context.explicit && found.prefix === '') return null;
  return {
    from: found.from,
    to: found.to,
    options: found.options.map(toCompletion),
    validFor: WORD_CHARS,
  };
}
