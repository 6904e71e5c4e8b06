import type { z } from 'zod'
import { say } from '../output'
import { ask } from '../ask'
import { advisorProfile, templateText, thresholdsSchema, type RequestInput } from '../../../../shared/contract'
import { queueSettings } from '../../../../shared/answers'
import { DEFAULT_QUEUE_SETTINGS, DEFAULT_THRESHOLDS, OPPORTUNITY_TYPES, type Settings } from '../../../../shared/detection'
import { LANGUAGES } from '../../../../shared/messages'
import { defineCommand, usageError } from '../command'

const THRESHOLD_KEYS = Object.keys(DEFAULT_THRESHOLDS) as (keyof typeof DEFAULT_THRESHOLDS)[]
const QUEUE_KEYS = Object.keys(DEFAULT_QUEUE_SETTINGS) as (keyof typeof DEFAULT_QUEUE_SETTINGS)[]
const ADVISOR_KEYS = ['advisor_name', 'advisor_arn', 'advisor_euin', 'advisor_phone', 'advisor_email'] as const
/** SPEC §6: `template.<type>.<lang>`, each message template. */
const TEMPLATE_KEYS = LANGUAGES.flatMap((lang) => OPPORTUNITY_TYPES.map((type) => `template.${type}.${lang}` as const))
/** Settings the CLI reads and writes by name (SPEC §6). */
const KEYS = [...THRESHOLD_KEYS, ...QUEUE_KEYS, 'as_of_mode', 'as_of_date', ...ADVISOR_KEYS, ...TEMPLATE_KEYS] as const

const advisorField = (key: string): keyof typeof advisorProfile.shape => key.slice('advisor_'.length) as keyof typeof advisorProfile.shape

const flatten = (settings: Settings): Record<string, string | number | null> => ({
  ...settings.thresholds,
  ...settings.queue,
  as_of_mode: settings.as_of_mode,
  as_of_date: settings.as_of_date,
  ...Object.fromEntries(ADVISOR_KEYS.map((k) => [k, settings.advisor[advisorField(k)]])),
  ...Object.fromEntries(
    LANGUAGES.flatMap((lang) => OPPORTUNITY_TYPES.map((type) => [`template.${type}.${lang}`, settings.templates[lang][type]])),
  ),
})

export default defineCommand({
  name: 'settings',
  args: '[KEY [VALUE]]',
  summary: `Reads all settings, reads one, or sets one (${[...THRESHOLD_KEYS, 'as_of_mode', 'as_of_date', ...ADVISOR_KEYS].join(', ')}, template.<type>.<lang>); a refused value changes nothing.`,
  options: {},
  async run({ positionals, openDb }) {
    if (positionals.length > 2) throw usageError('settings', 'expected at most a KEY and a VALUE')
    const [key, value] = positionals
    if (key !== undefined && !(KEYS as readonly string[]).includes(key)) throw usageError('settings', `unknown setting "${key}"`)
    const db = openDb(value === undefined ? 'existing' : 'create')
    let settings = await ask(db, 'settings:get', {})
    if (value !== undefined) {
      let change: unknown
      const group = (THRESHOLD_KEYS as readonly string[]).includes(key)
        ? { name: 'thresholds', shape: thresholdsSchema.shape as Record<string, z.ZodNumber> }
        : (QUEUE_KEYS as readonly string[]).includes(key)
          ? { name: 'queue', shape: queueSettings.shape as Record<string, z.ZodNumber> }
          : null
      if (group) {
        if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) throw usageError('settings', `${key}: expected a whole number, got "${value}"`)
        const parsed = group.shape[key].safeParse(Number(value))
        if (!parsed.success) throw usageError('settings', `${key}: ${parsed.error.issues[0].message.toLowerCase()}, got "${value}"`)
        change = { [group.name]: { [key]: parsed.data } }
      } else if ((ADVISOR_KEYS as readonly string[]).includes(key))
        change = { advisor: { [advisorField(key)]: value.trim() === '' ? null : value } }
      else if (key.startsWith('template.')) {
        const [, type, lang] = key.split('.')
        const parsed = templateText.safeParse(value)
        if (!parsed.success) throw usageError('settings', `${key}: ${parsed.error.issues[0].message}`)
        change = { templates: { [lang]: { [type]: parsed.data } } }
      } else if (key === 'as_of_date') change = { as_of_date: value === 'none' ? null : value }
      else change = { as_of_mode: value }
      // Built by key; `ask` checks it against the contract like any request.
      settings = await ask(db, 'settings:update', change as RequestInput<'settings:update'>)
    }
    const flat = flatten(settings)
    if (key !== undefined) return void say(String(flat[key] ?? ''))
    for (const k of KEYS) say(`${k} = ${flat[k] ?? ''}`)
  },
})
