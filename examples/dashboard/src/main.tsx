import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadConfig } from './client.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (err: Error) =>
    root.render(
      <p role="alert" className="errors">
        {err.message}
      </p>,
    ),
);
