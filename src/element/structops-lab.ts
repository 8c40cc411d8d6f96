/**
 * `<structops-lab>`: the app's embed view as an HTML element, for documentation pages.
 *
 *   <script src="https://…/structops-lab/structops-lab.js" defer></script>
 *   <structops-lab scenario="teach-ebusy" step="2" theme="dark"></structops-lab>
 *
 * Attributes: `scenario` (a library id), `src` (a scenario file's URL, relative to the page),
 * `step`, `autoplay`, `theme` (`light`, `dark`, `system`), `detail` (`story`, the default: the
 * objects the scenario is about, fds and unrelated maps folded; `all`: every object),
 * `controls` (`controls="false"` hides the stepping controls), `label` (the frame's accessible
 * name; the scenario's title by default) and `app` (where the app is, if not next to this
 * script). Changing `step`, `theme` or `detail` moves or restyles the running view; other
 * changes reload it.
 *
 * Script API: `goto(step)`, `next()`, `prev()`, `first()`, `last()`, `play()`, `pause()`,
 * `load(text, name?)`; read-only `step`, `steps`, `playing`, `scenario`, `scenarioTitle`.
 * Events (bubbling, `detail` as in src/embed/protocol.ts): `ready`, `stepchange`,
 * `scenarioerror`.
 *
 * Each element shows the app in its own iframe, in its shadow root: the page's styles, scripts
 * and key handlers cannot reach into it, two elements on one page never share state, and this
 * script stays small (the app loads inside the frame, from next to this script). The element
 * talks to its frame with the postMessage API, reading only messages from its own frame's
 * window and the app's origin, each validated; the frame, pinned to this page's origin by
 * `?origin=`, reads only this page's.
 *
 * Shipped by `npm run build` as `dist/structops-lab.js`, a classic script (no module, no CORS
 * needed), built by vite.element.config.ts.
 */
import {
  envelop,
  receiveEvent,
  type FrameEvent,
  type FrameEventBody,
  type HostCommandBody,
} from '../embed/protocol';
import { MAX_SCENARIO_BYTES } from '../scenario/limits';
import { frameUrl, readElementOptions } from './frameUrl';
import { ELEMENT_STYLE as STYLE } from './elementStyle';

type StepDetail = Omit<Extract<FrameEvent, { type: 'step' }>, 'protocol' | 'v' | 'type'>;
type ReadyDetail = Omit<Extract<FrameEvent, { type: 'ready' }>, 'protocol' | 'v' | 'type'>;
type ErrorDetail = Omit<Extract<FrameEvent, { type: 'error' }>, 'protocol' | 'v' | 'type'>;

/** Where this script was loaded from: the app is served next to it. */
function scriptUrl(): string {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const tagged = document.querySelector<HTMLScriptElement>('script[src*="structops-lab.js"]');
  return tagged?.src ?? document.baseURI;
}

const SCRIPT_URL = scriptUrl();

const OBSERVED = [
  'scenario',
  'src',
  'step',
  'autoplay',
  'theme',
  'detail',
  'controls',
  'label',
  'app',
  'rev',
];

export class StructopsLabElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return OBSERVED;
  }

  readonly #frame: HTMLIFrameElement;
  #appOrigin = '';
  /** Commands given before the frame had a scenario on screen. */
  #queue: HostCommandBody[] = [];
  #ready = false;
  /** Bumped per navigation: a slow fetch for an old `src` is dropped. */
  #generation = 0;
  #state: StepDetail = { scenario: '', step: 0, steps: 0, playing: false, say: '' };
  #title = '';

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.#frame = document.createElement('iframe');
    this.#frame.setAttribute('allow', 'fullscreen');
    this.#frame.setAttribute('loading', 'lazy');
    this.#frame.title = 'structops-lab';
    root.append(style, this.#frame);
  }

  connectedCallback(): void {
    window.addEventListener('message', this.#onMessage);
    this.#navigate();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#generation += 1;
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (!this.isConnected || before === after) return;
    if (name === 'label') {
      this.#updateTitle();
      return;
    }
    const o = readElementOptions((n) => this.getAttribute(n));
    if (name === 'step' && o.step !== null) {
      this.goto(o.step);
      return;
    }
    if (name === 'theme' && o.theme !== null) {
      this.#send({ type: 'set-theme', theme: o.theme });
      return;
    }
    if (name === 'detail' && o.detail !== null) {
      this.#send({ type: 'set-detail', detail: o.detail });
      return;
    }
    this.#navigate();
  }

  /** The step on screen (0 = before the first step). */
  get step(): number {
    return this.#state.step;
  }
  get steps(): number {
    return this.#state.steps;
  }
  get playing(): boolean {
    return this.#state.playing;
  }
  /** The id of the scenario on screen. */
  get scenario(): string {
    return this.#state.scenario;
  }
  get scenarioTitle(): string {
    return this.#title;
  }

  goto(step: number): void {
    this.#send({ type: 'goto', step });
  }
  next(): void {
    this.#send({ type: 'next' });
  }
  prev(): void {
    this.#send({ type: 'prev' });
  }
  first(): void {
    this.#send({ type: 'first' });
  }
  last(): void {
    this.#send({ type: 'last' });
  }
  play(): void {
    this.#send({ type: 'play' });
  }
  pause(): void {
    this.#send({ type: 'pause' });
  }
  /** Shows a scenario given as YAML or JSON text (validated by the app, like any file). */
  load(text: string, name = 'the page'): void {
    this.#post({ type: 'load', text, name });
  }

  #navigate(): void {
    this.#generation += 1;
    this.#ready = false;
    const app = this.getAttribute('app');
    const base = new URL(app ? app : SCRIPT_URL, document.baseURI).href;
    const url = frameUrl(
      base,
      readElementOptions((n) => this.getAttribute(n)),
      location.origin,
    );
    this.#appOrigin = new URL(url).origin;
    this.#frame.src = url;
  }

  /** A command that needs a scenario on screen: sent now, or once the frame is ready. */
  #send(body: HostCommandBody): void {
    if (this.#ready) this.#post(body);
    else this.#queue.push(body);
  }

  #post(body: HostCommandBody): void {
    this.#frame.contentWindow?.postMessage(envelop(body), this.#appOrigin);
  }

  #updateTitle(): void {
    const label = this.getAttribute('label')?.trim();
    this.#frame.title = label
      ? label
      : this.#title
        ? `structops-lab: ${this.#title}`
        : 'structops-lab';
  }

  async #sendSrc(src: string, generation: number): Promise<void> {
    let body: HostCommandBody;
    try {
      const res = await fetch(new URL(src, document.baseURI), { credentials: 'same-origin' });
      if (!res.ok)
        body = { type: 'load-error', name: src, message: `could not fetch it: HTTP ${res.status}` };
      else {
        const text = await res.text();
        body =
          text.length > MAX_SCENARIO_BYTES
            ? {
                type: 'load-error',
                name: src,
                message: `it is ${Math.ceil(text.length / 1024)} KiB; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
              }
            : { type: 'load', text, name: src };
      }
    } catch (e) {
      body = {
        type: 'load-error',
        name: src,
        message: `could not fetch it: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    if (generation === this.#generation) this.#post(body);
  }

  #emit(type: string, detail: StepDetail | ReadyDetail | ErrorDetail): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  readonly #onMessage = (e: MessageEvent): void => {
    if (e.source === null || e.source !== this.#frame.contentWindow) return;
    if (e.origin !== this.#appOrigin) return;
    const r = receiveEvent(e.data);
    if (r.kind !== 'ok') return;
    const m: FrameEventBody = r.message;
    switch (m.type) {
      case 'listening': {
        const src = readElementOptions((n) => this.getAttribute(n)).src;
        if (src) void this.#sendSrc(src, this.#generation);
        return;
      }
      case 'ready': {
        this.#ready = true;
        this.#title = m.title;
        this.#state = {
          scenario: m.scenario,
          step: m.step,
          steps: m.steps,
          playing: m.playing,
          say: '',
        };
        this.#updateTitle();
        const queued = this.#queue;
        this.#queue = [];
        this.#emit('ready', {
          scenario: m.scenario,
          title: m.title,
          step: m.step,
          steps: m.steps,
          playing: m.playing,
        });
        for (const c of queued) this.#post(c);
        return;
      }
      case 'step':
        this.#state = {
          scenario: m.scenario,
          step: m.step,
          steps: m.steps,
          playing: m.playing,
          say: m.say,
        };
        this.#emit('stepchange', this.#state);
        return;
      case 'error':
        this.#emit('scenarioerror', { message: m.message, request: m.request, issues: m.issues });
        return;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'structops-lab': StructopsLabElement;
  }
}

if (!customElements.get('structops-lab'))
  customElements.define('structops-lab', StructopsLabElement);
