// Electron entry point (electron-vite builds this file); everything lives in the Electron host.
import './hosts/electron/app'
