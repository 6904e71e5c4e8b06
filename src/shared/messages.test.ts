import { describe, expect, it } from 'vitest'
import { parseRequest } from './contract'
import {
  DEFAULT_TEMPLATES,
  fillTemplate,
  formatArn,
  formatEuin,
  isWhatsappLink,
  LANGUAGES,
  PLACEHOLDERS,
  templateProblem,
  whatsappNumber,
  type Placeholder,
} from './messages'
import { OPPORTUNITY_TYPES, typeInSentence } from './detection'

describe('WhatsApp numbers (SPEC §5 rev 3)', () => {
  it('links a valid Indian mobile with or without +91, 91 or 0, and a full international number given with +', () => {
    const valid: [string, string][] = [
      ['9876543210', '919876543210'],
      ['98765 43210', '919876543210'],
      ['+91 98765-43210', '919876543210'],
      ['919876543210', '919876543210'],
      ['09876543210', '919876543210'],
      ['6123456789', '916123456789'],
      ['+44 7911 123456', '447911123456'],
      ['+1 (415) 555-0100', '14155550100'],
    ]
    for (const [phone, digits] of valid) expect(whatsappNumber(phone)).toEqual({ digits })
  })

  it('gives no link, with the reason, for anything else', () => {
    const invalid = [
      'javascript:alert(1)//9876543210',
      '9'.repeat(25),
      '00000000',
      '5876543210', // a 10-digit number starting 5 is no Indian mobile
      '+91 5876543210', // +91 must pass the Indian rule
      '+91 98765',
      '+1234567', // 7 digits
      '+00000000',
      `+${'1'.repeat(16)}`,
      '447911123456', // international without its +
      '98765432101',
      '',
      null,
    ]
    for (const phone of invalid) {
      const answer = whatsappNumber(phone)
      expect(answer, String(phone)).toHaveProperty('reason')
      expect((answer as { reason: string }).reason.length).toBeGreaterThan(5)
    }
    expect(whatsappNumber(null)).toEqual({ reason: 'no phone number' })
  })

  it('lets main open only wa.me links whose number passes the same rule', () => {
    expect(isWhatsappLink('https://wa.me/919876543210?text=Hello%20there')).toBe(true)
    expect(isWhatsappLink('https://wa.me/447911123456')).toBe(true)
    for (const url of [
      'https://wa.me/00000000?text=x',
      'https://wa.me/915876543210',
      'https://wa.me/9876543210/x',
      'https://wa.me/91987654321#x',
    ])
      expect(isWhatsappLink(url), url).toBe(false)
  })
})

describe('templates (SPEC §5)', () => {
  it('refuses an unknown placeholder on save, naming the known ones', () => {
    expect(templateProblem('Namaste {client_name}, {amount}')).toBeNull()
    const problem = templateProblem('Namaste {clientname}')
    expect(problem).toContain('{clientname}')
    for (const p of PLACEHOLDERS) expect(problem).toContain(`{${p}}`)
    expect(() => parseRequest('settings:update', { templates: { hi: { failed_sips: 'नमस्ते {clientname}' } } })).toThrow(
      /templates\.hi\.failed_sips: unknown placeholder \{clientname\}; the known ones are \{client_name\}/,
    )
    expect(parseRequest('settings:update', { templates: { hi: { failed_sips: 'नमस्ते {client_name}' } } })).toEqual({
      templates: { hi: { failed_sips: 'नमस्ते {client_name}' } },
    })
  })

  it('takes {one|several} choices and refuses a choice with more or fewer forms', () => {
    expect(templateProblem('your {SIP|SIPs} of {amount}')).toBeNull()
    expect(templateProblem('your {SIP|SIPs|many SIPs}')).toMatch(
      /\{SIP\|SIPs\|many SIPs\} is not a choice: write \{words for one SIP\|words for several\}/,
    )
    expect(fillTemplate('your {SIP|SIPs}{| in all}', {} as Record<Placeholder, string>, 1)).toBe('your SIP')
    expect(fillTemplate('your {SIP|SIPs}{| in all}', {} as Record<Placeholder, string>, 3)).toBe('your SIPs in all')
  })

  it('ships every built-in template in English and in Hindi (Devanagari), with known placeholders only', () => {
    for (const lang of LANGUAGES) {
      for (const type of OPPORTUNITY_TYPES) {
        const template = DEFAULT_TEMPLATES[lang][type]
        expect(templateProblem(template), `${lang} ${type}`).toBeNull()
        expect(template).toContain('{advisor_name}')
        if (lang === 'hi') expect(template.match(/[\u0900-\u097F]/g)?.length ?? 0).toBeGreaterThan(60)
      }
    }
  })
})

describe('advisor ids (SPEC §5)', () => {
  it('prints the ARN as ARN-123456 and the EUIN as E123456 however they were typed', () => {
    for (const typed of ['123456', 'ARN-123456', 'arn 123456', ' ARN123456 ']) expect(formatArn(typed)).toBe('ARN-123456')
    for (const typed of ['123456', 'E123456', 'e123456']) expect(formatEuin(typed)).toBe('E123456')
  })
})

describe('a reason named inside a sentence (a message refused, the dialog)', () => {
  it('keeps SIP in capitals and lowers the first word of the rest', () => {
    expect(OPPORTUNITY_TYPES.map(typeInSentence)).toEqual([
      'no SIP increase',
      'failed SIPs',
      'high-value inactive',
      'auto-cancel risk',
      'SIP ending',
    ])
  })
})
