import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter } from 'react-router'
import { App } from './app/app.js'
import { routes } from './app/routes.js'
import { createApiClient } from './lib/api-client.js'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App client={createApiClient(window.location.origin)} router={createBrowserRouter(routes)} />
  </StrictMode>,
)
