/**
 * The element's own style sheet (a <style> in its shadow root). A host page with a strict
 * Content Security Policy lists its hash in style-src (see docs/embedding.md); a unit test keeps
 * the hash in the example page and the docs current.
 */
export const ELEMENT_STYLE = `
:host {
  display: block;
  position: relative;
  inline-size: 100%;
  aspect-ratio: 16 / 9;
  min-block-size: 240px;
  box-sizing: border-box;
  border: var(--structops-lab-border, 1px solid #c9d1da);
  border-radius: var(--structops-lab-radius, 6px);
  overflow: hidden;
  contain: content;
}
:host([hidden]) { display: none; }
iframe { display: block; inline-size: 100%; block-size: 100%; border: 0; }
`;
