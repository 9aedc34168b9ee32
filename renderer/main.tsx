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
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
