/**
 * "Export": a menu button with two items, "SVG" and "PNG", that save the graph as it is on the
 * screen (styles inlined, zoom reset, theme background; PNG at 2×) as
 * `structops-lab_<scenario-id>_step-<n>.svg|png`, and, given a `video` source, a third,
 * "Video (WebM)…", that opens the video dialog (./VideoExportDialog.tsx) to record a range of
 * steps. Where the browser cannot record video, that item says so and does nothing. See
 * src/export/.
 *
 * HOW TO MOUNT (it needs no store; inside or outside <Viewer>):
 *
 *   import { ExportMenu } from './components/ExportMenu';
 *   <ExportMenu
 *     scenarioId={scenario.id}
 *     step={step}              // the current step number: stepNumberAt(timeline, cursor)
 *     title={scenario.title}   // optional: goes into the file's <title> and <metadata>
 *     video={source}           // optional: adds "Video…"; src/app/viewerVideoSource.ts
 *   />
 *
 * Which graph: `getGraph` if given (a function returning the `<svg data-testid="graph">`), else
 * the first `svg[data-testid="graph"]` inside `root.current` if a `root` ref is given (use this
 * when several viewers share a page), else the first one in the document.
 * Inside <Viewer>, `step` is `useSim((s) => stepNumberAt(s.timeline, s.cursor))`.
 *
 * Keyboard: Enter/Space/↓ on the button opens the menu on its first item; ↑/↓, Home/End move;
 * Escape closes (focus back on the button); Tab closes.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ComponentType,
  type CSSProperties,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { popoverWrapStyle, sideStyle, usePopover } from './usePopover';
import { downloadGraphPng } from '../export/exportPng';
import { downloadGraphSvg, type GraphExportInfo } from '../export/exportSvg';
import { detectVideoSupport, type VideoSupport } from '../export/videoFormat';
import type { VideoSource } from '../export/videoSteps';
import type { VideoExportDialogProps } from './VideoExportDialog';

export interface ExportMenuProps {
  readonly scenarioId: string;
  readonly step: number;
  readonly title?: string;
  readonly getGraph?: () => SVGSVGElement | null;
  readonly root?: RefObject<HTMLElement | null>;
  /** The viewer to record videos from (src/app/viewerVideoSource.ts); none: no video item. */
  readonly video?: VideoSource;
}

const GRAPH_SELECTOR = 'svg[data-testid="graph"]';

const menuStyle: CSSProperties = {
  position: 'absolute',
  top: 'calc(100% + 0.3rem)',
  zIndex: 30,
  minWidth: '9rem',
  margin: 0,
  padding: '0.3rem',
  listStyle: 'none',
  background: 'var(--node)',
  border: '1px solid var(--border)',
  borderRadius: 6,
  boxShadow: '0 4px 16px rgb(0 0 0 / 12%)',
  display: 'flex',
  flexDirection: 'column',
  gap: '0.2rem',
};
const itemStyle: CSSProperties = { width: '100%', textAlign: 'left', whiteSpace: 'nowrap' };
const unavailableStyle: CSSProperties = { ...itemStyle, opacity: 0.7, cursor: 'not-allowed' };

type Format = 'svg' | 'png';
const ITEMS: readonly { format: Format; label: string; hint: string }[] = [
  { format: 'svg', label: 'SVG', hint: 'vector, styles inlined' },
  { format: 'png', label: 'PNG', hint: 'image at 2×' },
];

export function ExportMenu({ scenarioId, step, title, getGraph, root, video }: ExportMenuProps) {
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  const { open, side, wrap, button, close, show } = usePopover(() => items.current[0]?.focus());
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const id = useId();
  const [videoOpen, setVideoOpen] = useState(false);
  // The video dialog and all of video export load on first use (they are not small); once
  // loaded, the dialog stays mounted, keeping the user's settings.
  const [VideoDialog, setVideoDialog] = useState<ComponentType<VideoExportDialogProps> | null>(
    null,
  );
  // Whether video can be encoded here is asked of the browser once, when the reader first
  // reaches for the menu (points at, focuses or opens it), not when the page loads: Chromium
  // answers `VideoEncoder.isConfigSupported` on the page's thread, several hundred
  // milliseconds on a machine without a GPU, which at load would delay the first graph.
  // Until it has answered, the video item says it is checking.
  const [support, setSupport] = useState<VideoSupport | null>(null);
  const asked = useRef(false);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const askSupport = () => {
    if (!video || asked.current) return;
    asked.current = true;
    void detectVideoSupport().then((s) => {
      if (live.current) setSupport(s);
    });
  };
  const showMenu = () => {
    askSupport();
    show();
  };

  const findGraph = (): SVGSVGElement | null => {
    if (getGraph) return getGraph();
    const scope: ParentNode = root?.current ?? document;
    return scope.querySelector<SVGSVGElement>(GRAPH_SELECTOR);
  };

  const run = async (format: Format) => {
    close(true);
    if (busy) return;
    const svg = findGraph();
    if (!svg) {
      setStatus('Export failed: there is no graph on the page.');
      return;
    }
    const info: GraphExportInfo = { scenarioId, step, ...(title !== undefined ? { title } : {}) };
    setBusy(true);
    setStatus(format === 'png' ? 'Making the PNG…' : '');
    try {
      const name =
        format === 'svg' ? downloadGraphSvg(svg, info) : await downloadGraphPng(svg, info);
      setStatus(`Saved ${name}.`);
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}.`);
    } finally {
      setBusy(false);
    }
  };

  const move = (e: KeyboardEvent<HTMLElement>, to: (i: number, n: number) => number) => {
    e.preventDefault();
    e.stopPropagation();
    const list = items.current.filter((x): x is HTMLButtonElement => x !== null);
    const i = list.findIndex((x) => x === document.activeElement);
    list[to(i, list.length)]?.focus();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLElement>) => {
    switch (e.key) {
      case 'ArrowDown':
        move(e, (i, n) => (i + 1) % n);
        break;
      case 'ArrowUp':
        move(e, (i, n) => (i - 1 + n) % n);
        break;
      case 'Home':
        move(e, () => 0);
        break;
      case 'End':
        move(e, (_, n) => n - 1);
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
      default:
        break;
    }
  };

  return (
    <div className="export-menu" ref={wrap} style={popoverWrapStyle}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-busy={busy}
        onPointerEnter={askSupport}
        onFocus={askSupport}
        onClick={() => (open ? close(false) : showMenu())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            e.stopPropagation();
            showMenu();
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            e.stopPropagation();
            close(true);
          }
        }}
      >
        Export
      </button>
      {open ? (
        <ul
          id={`${id}-menu`}
          role="menu"
          aria-label="Export the graph as"
          style={{ ...menuStyle, ...sideStyle(side) }}
          onKeyDown={onMenuKey}
        >
          {ITEMS.map((it, i) => (
            <li key={it.format} role="none">
              <button
                ref={(el) => {
                  items.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                style={itemStyle}
                title={`${it.label}: ${it.hint}`}
                onClick={() => void run(it.format)}
              >
                {it.label}
              </button>
            </li>
          ))}
          {video ? (
            <li role="none">
              <button
                ref={(el) => {
                  items.current[ITEMS.length] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                aria-haspopup={support?.ok ? 'dialog' : undefined}
                aria-disabled={support?.ok ? undefined : true}
                style={support?.ok ? itemStyle : unavailableStyle}
                title={
                  support === null
                    ? 'Checking whether this browser can encode video'
                    : support.ok
                      ? `A video of a range of steps (${support.format.label}), for slides`
                      : `Video export is not available: ${support.reason}.`
                }
                onClick={() => {
                  if (!support?.ok) return;
                  close(false);
                  import('./VideoExportDialog').then(
                    (m) => {
                      setVideoDialog(() => m.VideoExportDialog);
                      setVideoOpen(true);
                    },
                    (e: unknown) => {
                      setStatus(
                        `Video export could not be loaded: ${e instanceof Error ? e.message : String(e)}.`,
                      );
                      button.current?.focus();
                    },
                  );
                }}
              >
                {support === null
                  ? 'Video: checking this browser…'
                  : support.ok
                    ? `Video (${support.format.label})…`
                    : 'Video: not available in this browser'}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
      {video && support?.ok && VideoDialog ? (
        <VideoDialog
          open={videoOpen}
          source={video}
          format={support.format}
          findGraph={findGraph}
          onClose={() => {
            setVideoOpen(false);
            button.current?.focus();
          }}
        />
      ) : null}
      <span
        role="status"
        aria-live="polite"
        className="visually-hidden"
        data-testid="export-status"
      >
        {status}
      </span>
    </div>
  );
}
