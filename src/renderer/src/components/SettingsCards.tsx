import { useRef, useState } from 'react'
import { Button, Card, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import { advisorProfile } from '@shared/contract'
import { OPPORTUNITY_TYPES, TYPE_LABELS, type AdvisorProfile, type OpportunityType } from '@shared/detection'
import {
  DEFAULT_TEMPLATES,
  LANGUAGE_LABELS,
  LANGUAGES,
  PLACEHOLDER_HINTS,
  PLACEHOLDERS,
  templateProblem,
  type Language,
} from '@shared/messages'
import { useSettingsUpdate } from '../api/queries'
import { invoke } from '../api/transport'

/**
 * Saves a settings change and says so. Through the promise, not `mutate`'s callbacks: a saved change
 * remounts its card (keyed by the saved values), and TanStack drops the callbacks of an unmounted caller.
 */
export function useSave() {
  const update = useSettingsUpdate()
  return (change: Parameters<typeof update.mutate>[0], message: string) => {
    update.mutateAsync(change).then(
      () => notifications.show({ color: 'teal', message }),
      (error: Error) => notifications.show({ color: 'red', title: 'Not saved', message: error.message }),
    )
  }
}

const ADVISOR_FIELDS: { key: keyof AdvisorProfile; label: string; placeholder: string }[] = [
  { key: 'name', label: 'Name', placeholder: 'As printed for clients' },
  { key: 'arn', label: 'ARN', placeholder: 'ARN-123456' },
  { key: 'euin', label: 'EUIN', placeholder: 'E123456' },
  { key: 'phone', label: 'Phone', placeholder: '98765 43210' },
  { key: 'email', label: 'Email', placeholder: 'you@example.in' },
]

/** The advisor's details for client-facing reports and messages; remounted (by key) when the saved ones change. */
export function AdvisorCard({ saved }: { saved: AdvisorProfile }) {
  const save = useSave()
  const [draft, setDraft] = useState<Record<keyof AdvisorProfile, string>>({
    name: saved.name ?? '',
    arn: saved.arn ?? '',
    euin: saved.euin ?? '',
    phone: saved.phone ?? '',
    email: saved.email ?? '',
  })
  const value = (key: keyof AdvisorProfile) => draft[key].trim() || null
  const profile: AdvisorProfile = {
    name: value('name'),
    arn: value('arn'),
    euin: value('euin'),
    phone: value('phone'),
    email: value('email'),
  }
  const checked = advisorProfile.safeParse(profile)
  const emailBad = profile.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(profile.email)
  const changed = ADVISOR_FIELDS.some((f) => profile[f.key] !== saved[f.key])
  return (
    <Card withBorder radius="md">
      <Title order={4}>Advisor profile</Title>
      <Text size="sm" c="dimmed" mb="md">
        Printed on the client’s copy of a report, with the standard risk line, and signed under messages.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
        {ADVISOR_FIELDS.map((f) => (
          <TextInput
            key={f.key}
            label={f.label}
            placeholder={f.placeholder}
            value={draft[f.key]}
            onChange={(e) => setDraft({ ...draft, [f.key]: e.currentTarget.value })}
            error={f.key === 'email' && emailBad ? 'Not an email address' : undefined}
            data-testid={`advisor-${f.key}`}
          />
        ))}
      </SimpleGrid>
      <Group mt="md">
        <Button disabled={!changed || !checked.success || emailBad} onClick={() => save({ advisor: profile }, 'Advisor profile saved')}>
          Save profile
        </Button>
      </Group>
    </Card>
  )
}

/** Drafts are kept per language and type while the card is open. */
type DraftKey = `${Language}.${OpportunityType}`

/**
 * One message template per language and opportunity type, with its placeholders a click away, a
 * check of its placeholders as it is typed, and a preview filled for a real client of the book.
 */
export function TemplatesCard({ saved }: { saved: Record<Language, Record<OpportunityType, string>> }) {
  const save = useSave()
  const [type, setType] = useState<OpportunityType>(OPPORTUNITY_TYPES[0])
  const [lang, setLang] = useState<Language>('en')
  const [drafts, setDrafts] = useState<Partial<Record<DraftKey, string>>>({})
  const area = useRef<HTMLTextAreaElement>(null)
  const text = drafts[`${lang}.${type}`] ?? saved[lang][type]
  const setText = (value: string) => setDrafts({ ...drafts, [`${lang}.${type}`]: value })
  const problem = text.trim() === '' ? 'A template cannot be empty' : templateProblem(text)
  const [debounced] = useDebouncedValue(text, 250)
  const preview = useQuery({
    queryKey: ['messages:preview', type, lang, debounced],
    queryFn: () => invoke('messages:preview', { type, language: lang, template: debounced }),
    placeholderData: keepPreviousData,
  })
  const insert = (placeholder: string) => {
    const el = area.current
    const at = el?.selectionStart ?? text.length
    const end = el?.selectionEnd ?? at
    setText(`${text.slice(0, at)}{${placeholder}}${text.slice(end)}`)
    requestAnimationFrame(() => el?.focus())
  }
  return (
    <Card withBorder radius="md">
      <Title order={4}>Message templates</Title>
      <Text size="sm" c="dimmed" mb="md">
        The text of a message to a client, per language and opportunity type; placeholders are filled from the client and the opportunity.
        Each client gets the language set on their page (English unless set).
      </Text>
      <Stack gap="sm">
        <Group>
          <Select
            label="Opportunity type"
            data={OPPORTUNITY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
            value={type}
            onChange={(value) => value && setType(value as OpportunityType)}
            allowDeselect={false}
            w={260}
          />
          <Select
            label="Language"
            data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_LABELS[l] }))}
            value={lang}
            onChange={(value) => value && setLang(value as Language)}
            allowDeselect={false}
            w={200}
            data-testid="template-language"
          />
        </Group>
        <Textarea
          ref={area}
          label="Message"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={8}
          error={problem ?? undefined}
          data-testid="template-text"
        />
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            Insert:
          </Text>
          {PLACEHOLDERS.map((p) => (
            <Tooltip key={p} label={PLACEHOLDER_HINTS[p]}>
              <Button size="compact-xs" variant="light" radius="xl" onClick={() => insert(p)}>
                {`{${p}}`}
              </Button>
            </Tooltip>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {'{one|several}'} is filled with the words for one SIP or for several: {'your {SIP|SIPs}'}.
        </Text>
        <Stack gap={4} data-testid="template-preview">
          <Text size="xs" c="dimmed">
            {preview.data?.client ? `As ${preview.data.client} would read it today:` : 'Preview:'}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={preview.data?.text ? undefined : 'dimmed'}>
            {preview.data ? (preview.data.text ?? preview.data.reason) : '…'}
          </Text>
        </Stack>
        <Group>
          <Button
            disabled={text === saved[lang][type] || problem !== null}
            onClick={() =>
              save({ templates: { [lang]: { [type]: text } } }, `${TYPE_LABELS[type]} template (${LANGUAGE_LABELS[lang]}) saved`)
            }
          >
            Save template
          </Button>
          <Button variant="subtle" disabled={text === DEFAULT_TEMPLATES[lang][type]} onClick={() => setText(DEFAULT_TEMPLATES[lang][type])}>
            Restore the default
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
