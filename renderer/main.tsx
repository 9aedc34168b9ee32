// Renderer entry. No inline scripts anywhere (CSP script-src 'self').
import '@xterm/xterm/css/xterm.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/toolbar.css';
import './styles/canvas.css';
import './styles/packets.css';
import './styles/inspector.css';
import './styles/console.css';
import './styles/machine.css';
import './styles/analysis.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getLabApi } from './api';
import { App } from './app/App';

// The host's connection is opened before the first render (the App takes this same client), so its
// handshake runs while React builds the page (~65 ms on a cold start) instead of after it.
getLabApi();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
