#!/usr/bin/env node
/**
 * better-sqlite3 is a native module built for one ABI at a time: Node's (tests, CLI, web host) or
 * Electron's (the desktop app). `node scripts/electron-abi.mjs electron` rebuilds it for the
 * installed Electron before `npm start`/`dev`/`dist`; `node scripts/electron-abi.mjs node` puts
 * Node's build back before `npm test`. Each does nothing when the module already fits.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const marker = path.join(root, 'node_modules', '.cache', 'better-sqlite3-abi')
const require = createRequire(path.join(root, 'package.json'))
const target = process.argv[2]
const current = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : `node-${process.versions.modules}`

const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

function electronBinary() {
  try {
    const binary = require('electron')
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

if (target === 'node') {
  const wanted = `node-${process.versions.modules}`
  if (current !== wanted) {
    console.log(`better-sqlite3 is built for ${current}; rebuilding it for Node ${process.version}…`)
    run('npm', ['rebuild', 'better-sqlite3'])
  }
  fs.mkdirSync(path.dirname(marker), { recursive: true })
  fs.writeFileSync(marker, wanted)
} else if (target === 'electron') {
  if (!electronBinary()) {
    console.error(
      'The Electron binary is not installed (it was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD or could not be downloaded).\n' +
        'Run `npm install` with network access to get it, or use the app in a browser: `npm run web`.',
    )
    process.exit(1)
  }
  const version = require('electron/package.json').version
  const wanted = `electron-${version}`
  if (current !== wanted) {
    console.log(`Rebuilding better-sqlite3 for Electron ${version}…`)
    // A machine-wide npm nodedir would point node-gyp at Node's headers instead of Electron's.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'))
    run(
      process.execPath,
      [require.resolve('@electron/rebuild/lib/cli.js'), '--force', '--only', 'better-sqlite3', '--version', version],
      env,
    )
    fs.mkdirSync(path.dirname(marker), { recursive: true })
    fs.writeFileSync(marker, wanted)
  }
} else {
  console.error('usage: node scripts/electron-abi.mjs node|electron')
  process.exit(1)
}
