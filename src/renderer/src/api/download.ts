/** Starts a download of `href` under `fileName` through the browser's (or Electron's) download. */
export function downloadUrl(href: string, fileName = ''): void {
  const link = document.createElement('a')
  link.href = href
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
}

/** Saves text as a file. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  downloadUrl(url, fileName)
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
