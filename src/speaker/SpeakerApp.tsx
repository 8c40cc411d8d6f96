/**
 * The speaker window (`?speaker=<id>`, opened by the presentation's "Speaker view" button or
 * S): a presenter console kept in sync with the presenting window over a BroadcastChannel.
 * It gets the scenario from that window (an edited or shared scenario may be in no URL), so it
 * works for any scenario the presentation shows. Loaded as its own chunk.
 */
import { useEffect } from 'react';
import { SimProvider } from '../store/storeContext';
import { initialTheme, useTheme } from '../view/theme';
import { readViewOptions } from '../view/viewOptions';
import { isId } from './protocol';
import { SpeakerView } from './SpeakerView';
import { Stopwatch } from './Stopwatch';
import { useSpeakerLink, type Connection } from './useSpeakerLink';
import './speaker.css';

const CONNECTION_TEXT: Readonly<Record<Connection, string>> = {
  waiting: 'Looking for the presentation window…',
  connected: 'Connected to the presentation',
  closed: 'The presentation window is closed',
};

function Session({ id }: { id: string }) {
  const { link, send } = useSpeakerLink(id);
  const { session, connection } = link;
  const title = session?.scenario.title;
  useEffect(() => {
    document.title = title
      ? `Speaker view: ${title} · structops-lab`
      : 'Speaker view · structops-lab';
  }, [title]);
  const connected = connection === 'connected';
  return (
    <main className="speaker" data-testid="speaker-view" data-connection={connection}>
      <header className="speaker-head">
        <div className="speaker-heading">
          <h1>Speaker view</h1>
          {title ? (
            <p className="speaker-scenario" data-testid="speaker-scenario">
              {title}
            </p>
          ) : null}
        </div>
        <div className="speaker-status">
          <p
            className={`speaker-connection speaker-connection-${connection}`}
            role="status"
            data-testid="speaker-connection"
          >
            <span className="speaker-dot" aria-hidden="true" />
            {CONNECTION_TEXT[connection]}
          </p>
          {connected && !link.presenting ? (
            <p className="speaker-hint">
              The audience window shows the main page: press P there to present.
            </p>
          ) : null}
          {connection === 'closed' ? (
            <p className="speaker-hint">
              {session
                ? 'It will reconnect when the presentation is back.'
                : 'Open the speaker view from a presentation: its "Speaker view" button, or S.'}
            </p>
          ) : null}
          {connected && link.blank ? (
            <p className="speaker-blank" data-testid="speaker-blank">
              The audience sees a blank screen
            </p>
          ) : null}
        </div>
        <Stopwatch id={id} />
      </header>
      {link.error ? (
        <p className="notice notice-error" role="alert">
          {link.error}
        </p>
      ) : null}
      {session ? (
        <SimProvider store={session.store}>
          <SpeakerView
            key={session.rev}
            rev={session.rev}
            connected={connected}
            blank={link.blank}
            presenting={link.presenting}
            send={send}
          />
        </SimProvider>
      ) : (
        <p className="speaker-waiting">
          {connection === 'closed'
            ? 'No presentation answered.'
            : 'Waiting for the scenario from the presentation…'}
        </p>
      )}
    </main>
  );
}

export default function SpeakerApp({ id }: { id: string }) {
  // The presenting window's theme switch reaches here through storage (its `storage` event).
  const pinned = readViewOptions(new URLSearchParams(window.location.search)).theme;
  useTheme(initialTheme(pinned), false, true);
  if (!isId(id)) {
    return (
      <main className="speaker" data-testid="speaker-view" data-connection="closed">
        <h1>Speaker view</h1>
        <p className="notice notice-error" role="alert">
          This speaker view address is not valid. Open the speaker view from a presentation: its
          &quot;Speaker view&quot; button, or S.
        </p>
      </main>
    );
  }
  return <Session id={id} />;
}
