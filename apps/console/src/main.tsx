import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { App } from './App';
import { IdPage, identifierInPath } from './lots/IdPage';
import './styles.css';

// A lot's QR code opens /id/<identifier>: its own page, with or without a signed-in tab.
const lot = identifierInPath(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {lot ? <IdPage identifier={lot} /> : <App />}
  </StrictMode>,
);
