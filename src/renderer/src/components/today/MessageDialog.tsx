import { useState, type ReactNode } from 'react'
import { Alert, Button, Group, Loader, Modal, SegmentedControl, Stack, Text, Textarea, Tooltip } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import { IconBrandWhatsapp, IconCopy, IconMail } from '@tabler/icons-react'
import { TYPE_LABELS, typeInSentence, type OpportunityType } from '@shared/detection'
import { LANGUAGE_LABELS, LANGUAGES, mailtoLink, whatsappLink, whatsappNumber, type Language } from '@shared/messages'
import { useLogMessage } from '../../api/queries'
import { invoke } from '../../api/transport'
import { AdvisorNamePrompt } from '../AdvisorNamePrompt'
import { ExternalLinkButton } from './ExternalLinkButton'

/** Whom a message goes to, and the reasons it can be about. */
export interface MessageTarget {
  user_id: string
  agent_external_id: string | null
  label: string
  phone: string | null
  email: string | null
  /** The types of its reasons (Today's row): the messages offered. */
  types: OpportunityType[]
}

/** SPEC §5: data older than this is said before a message goes out. */
const STALE_DAYS = 35

/** SPEC §5: a message about one of the client's reasons, filled in main — edited here, then copied, emailed or sent on WhatsApp. */
export function MessageDialog({ target, onClose }: { target: MessageTarget | null; onClose: () => void }) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? `Message ${target.label}` : ''} size="lg">
      {target ? <MessageForm key={`${target.user_id}/${target.agent_external_id}`} target={target} /> : null}
    </Modal>
  )
}

function MessageForm({ target }: { target: MessageTarget }) {
  const [language, setLanguage] = useState<Language | null>(null)
  const offered = useQuery({
    queryKey: ['messages:get', target.user_id, target.agent_external_id, language],
    queryFn: () =>
      invoke('messages:get', { user_id: target.user_id, agent_external_id: target.agent_external_id, ...(language && { language }) }),
  })
  const [chosen, setChosen] = useState<OpportunityType | null>(null)
  const [edited, setEdited] = useState<string | null>(null)
  const types = new Set(target.types)
  const messages = (offered.data?.messages ?? []).filter((m) => types.has(m.type))
  // SPEC §8 item 1: the dialog opens on the first reason that has a message.
  const message = messages.find((m) => m.type === chosen) ?? messages.find((m) => m.text !== null) ?? messages[0]
  const text = edited ?? message?.text ?? ''
  const phone = whatsappNumber(target.phone)
  const logMessage = useLogMessage()
  // SPEC §4: a message copied or opened goes into the client's log, with the text as sent.
  const logSent = (channel: 'copy' | 'email' | 'whatsapp') => {
    if (message)
      logMessage.mutate({ user_id: target.user_id, agent_external_id: target.agent_external_id, channel, type: message.type, text })
  }

  if (!offered.data) return offered.error ? <Alert color="red">{offered.error.message}</Alert> : <Loader size="sm" />
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      logSent('copy')
      notifications.show({ color: 'green', message: 'Message copied' })
    } catch {
      notifications.show({ color: 'red', message: 'The clipboard is not available here: select the text and copy it' })
    }
  }
  const age = offered.data.data_age_days

  return (
    <Stack gap="md" data-testid="message-form">
      {age !== null && age > STALE_DAYS ? (
        <Alert color="orange" data-testid="message-stale">
          This book is {age} days old: the client may have paid or changed since. Import a fresh export before sending.
        </Alert>
      ) : null}
      {offered.data.advisor_missing ? <AdvisorNamePrompt /> : null}
      <Group justify="space-between" align="flex-start">
        {messages.length > 1 ? (
          <SegmentedControl
            value={message?.type}
            onChange={(value) => {
              setChosen(value as OpportunityType)
              setEdited(null)
            }}
            data={messages.map((m) => ({ value: m.type, label: TYPE_LABELS[m.type] }))}
            aria-label="Message about"
          />
        ) : (
          <Text size="sm" c="dimmed">
            About: {message ? TYPE_LABELS[message.type] : '—'}
          </Text>
        )}
        <SegmentedControl
          size="xs"
          value={offered.data.language}
          onChange={(value) => {
            setLanguage(value as Language)
            setEdited(null)
          }}
          data={LANGUAGES.map((lang) => ({ value: lang, label: lang === 'en' ? 'English' : 'हिन्दी' }))}
          aria-label={`Language (the client's: ${LANGUAGE_LABELS[offered.data.client_language]})`}
        />
      </Group>
      {message?.text === null && !offered.data.advisor_missing ? (
        <Alert color="gray" data-testid="message-none">
          No {typeInSentence(message.type)} message: {message.reason}.
        </Alert>
      ) : null}
      <Textarea
        label="Message"
        value={text}
        onChange={(event) => setEdited(event.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={10}
        disabled={!message?.text}
        data-testid="message-text"
      />
      <Group gap="sm">
        <Button leftSection={<IconCopy size={16} />} onClick={() => void copy()} disabled={!text}>
          Copy
        </Button>
        {!text ? null : target.email ? (
          <ExternalLinkButton
            href={mailtoLink(target.email, 'About your SIP', text)}
            icon={<IconMail size={16} />}
            onOpen={() => logSent('email')}
          >
            Email
          </ExternalLinkButton>
        ) : (
          <Unavailable label="Email" reason="no email address" icon={<IconMail size={16} />} />
        )}
        {!text ? null : 'digits' in phone ? (
          <ExternalLinkButton
            href={whatsappLink(phone.digits, text)}
            icon={<IconBrandWhatsapp size={16} />}
            onOpen={() => logSent('whatsapp')}
          >
            WhatsApp
          </ExternalLinkButton>
        ) : (
          <Unavailable label="WhatsApp" reason={phone.reason} icon={<IconBrandWhatsapp size={16} />} />
        )}
      </Group>
    </Stack>
  )
}

/** A disabled action that says why, on hover and in words next to it. */
function Unavailable({ label, reason, icon }: { label: string; reason: string; icon: ReactNode }) {
  return (
    <Tooltip label={`${label}: ${reason}`}>
      <Group gap={6} wrap="nowrap">
        <Button variant="default" leftSection={icon} disabled>
          {label}
        </Button>
        <Text size="xs" c="dimmed">
          {reason}
        </Text>
      </Group>
    </Tooltip>
  )
}
