import { useCallback, useEffect, useRef, useState } from 'react';
import { exitFullscreen, requestFullscreen, useLetterKey } from '../view/presentation';
import { setParam } from './setParam';

/**
 * Presentation mode on and off: P toggles it (not while typing, nor under a dialog), the URL
 * keeps `present=1` while it is on, and full screen is asked for on the user's gesture.
 * Leaving full screen by the browser's own means (Escape) also leaves presentation mode.
 */
export function usePresentation(initial: boolean, enabled: boolean) {
  const [present, setPresent] = useState(initial && enabled);
  const [fullscreen, setFullscreen] = useState(false);
  const ours = useRef(false);
  const presentRef = useRef(present);
  useEffect(() => {
    presentRef.current = present;
  }, [present]);

  const enter = useCallback(() => {
    setPresent(true);
    setParam('present', '1');
    requestFullscreen();
  }, []);
  const exit = useCallback(() => {
    setPresent(false);
    setParam('present', null);
    ours.current = true;
    exitFullscreen();
  }, []);
  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) {
      ours.current = true;
      exitFullscreen();
    } else requestFullscreen();
  }, []);

  useEffect(() => {
    const onChange = () => {
      const fs = document.fullscreenElement !== null;
      setFullscreen(fs);
      if (!fs && !ours.current && presentRef.current) {
        setPresent(false);
        setParam('present', null);
      }
      ours.current = false;
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  useLetterKey('p', enabled, () => {
    if (presentRef.current) exit();
    else enter();
  });

  return { present, fullscreen, enter, exit, toggleFullscreen };
}
