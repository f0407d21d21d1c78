/** Entry point: mounts the application and its one stylesheet. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { findRoute } from './routes';
import './styles/app.css';

// The page's chunk loads while the session is checked, not after.
void findRoute(window.location.pathname.replace(/\/+$/, '') || '/')
  ?.page.load()
  .catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
