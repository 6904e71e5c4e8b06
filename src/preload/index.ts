import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { BRIDGE_KEY, isChannel, type Channel } from '../shared/channels'
import { MENU_EVENT, type Bridge, type MenuAction } from '../shared/bridge'

// Sandboxed preload: no npm imports, no logic beyond forwarding the contract's channels.
const bridge: Bridge = {
  invoke: (channel: Channel, request: unknown) =>
    isChannel(channel)
      ? ipcRenderer.invoke(channel, request)
      : Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `unknown request ${String(channel)}` } }),
  onMenu: (listener) => {
    const forward = (_event: IpcRendererEvent, action: MenuAction): void => listener(action)
    ipcRenderer.on(MENU_EVENT, forward)
    return () => ipcRenderer.off(MENU_EVENT, forward)
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
}

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge)
