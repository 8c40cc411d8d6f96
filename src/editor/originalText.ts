/**
 * The text the editor starts from: a library scenario's own YAML file (comments and all), the
 * text of a scenario file as it was fetched, or a scenario that came as data (a share link) as
 * YAML.
 */
import { stringify } from 'yaml';
import type { EditorOrigin } from './editorSource';

const libraryFiles = import.meta.glob<string>('../scenario/library/*.yaml', {
  query: '?raw',
  import: 'default',
});

/** The YAML file of library scenario `id` as written, or null when there is none. */
export async function libraryText(id: string): Promise<string | null> {
  const load = Object.entries(libraryFiles).find(([path]) => path.endsWith(`/${id}.yaml`))?.[1];
  return load ? load() : null;
}

/** The text of a scenario's origin. */
export async function originalText(origin: EditorOrigin): Promise<string> {
  switch (origin.kind) {
    case 'library':
      return (await libraryText(origin.id)) ?? stringify(origin.scenario);
    case 'text':
      return origin.text;
    case 'scenario':
      return stringify(origin.scenario);
  }
}
