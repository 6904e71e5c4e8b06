import { describe, expect, it } from 'vitest'
import { isAppUrl, isInsideFolder, opensOutside, rendererFile } from './gates'

const windows = { windows: true }
const posix = { windows: false }

describe("the desktop app's gates", () => {
  it('compares Windows paths as file URLs: the app folder under Program Files contains its files', () => {
    const app = 'C:\\Program Files\\Partner Dashboard\\resources\\app.asar\\out\\renderer'
    expect(isInsideFolder('C:\\Program Files\\Partner Dashboard\\resources\\app.asar\\out\\renderer\\index.html', app, windows)).toBe(true)
    expect(isInsideFolder('c:\\program files\\Partner Dashboard\\resources\\app.asar\\out\\renderer\\assets\\a.js', app, windows)).toBe(
      true,
    )
    expect(isInsideFolder('C:\\Users\\me\\evil.html', app, windows)).toBe(false)
  })

  it('stops at a path-segment boundary: a sibling folder whose name starts the same is outside', () => {
    expect(isInsideFolder('/opt/app-evil/index.html', '/opt/app', posix)).toBe(false)
    expect(isInsideFolder('/opt/app/index.html', '/opt/app', posix)).toBe(true)
    expect(isInsideFolder('/opt/app', '/opt/app', posix)).toBe(false)
    expect(isInsideFolder('C:\\app-evil\\x.html', 'C:\\app', windows)).toBe(false)
  })

  it('serves app:// requests from the renderer folder only, on Windows and elsewhere', () => {
    expect(rendererFile('app://bundle/index.html', '/opt/pd/renderer', posix)).toBe('/opt/pd/renderer/index.html')
    expect(rendererFile('app://bundle/', '/opt/pd/renderer', posix)).toBe('/opt/pd/renderer/index.html')
    expect(rendererFile('app://bundle/assets/a%20b.js', 'C:\\pd\\renderer', windows)).toBe('C:\\pd\\renderer\\assets\\a b.js')
    expect(rendererFile('app://bundle/..%2F..%2Fetc%2Fpasswd', '/opt/pd/renderer', posix)).toBeNull()
    expect(rendererFile('app://bundle/..%5C..%5Cwindows%5Cwin.ini', 'C:\\pd\\renderer', windows)).toBeNull()
    expect(rendererFile('app://other/index.html', '/opt/pd/renderer', posix)).toBeNull()
    expect(rendererFile('file:///opt/pd/renderer/index.html', '/opt/pd/renderer', posix)).toBeNull()
  })

  it('knows the app by its app:// origin, and the dev server by origin only, when a development build names one', () => {
    expect(isAppUrl('app://bundle/index.html#/today', undefined)).toBe(true)
    expect(isAppUrl('file:///C:/Program%20Files/Partner%20Dashboard/index.html', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/#/today', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5173@evil.example/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('http://localhost:51730/', 'http://localhost:5173')).toBe(false)
  })

  it('sends to the system only the links app:openExternal accepts, and phone numbers', () => {
    expect(opensOutside('mailto:client@example.com?subject=SIP')).toBe(true)
    expect(opensOutside('https://wa.me/919876543210?text=hello')).toBe(true)
    expect(opensOutside('tel:+91 98765 43210')).toBe(true)
    expect(opensOutside('https://evil.example/')).toBe(false)
    expect(opensOutside('https://wa.me.evil.example/')).toBe(false)
    expect(opensOutside('tel:javascript:alert(1)')).toBe(false)
    expect(opensOutside('file:///etc/passwd')).toBe(false)
  })
})
