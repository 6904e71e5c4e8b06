import { useState, type ReactNode } from 'react'
import { Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconBrandWhatsapp, IconCopy, IconMail } from '@tabler/icons-react'
import { TYPE_LABELS, type ClientSip, type Opportunity, type OpportunityType } from '@shared/detection'
import { fillTemplate, mailtoLink, placeholderValues, whatsappLink, whatsappNumber } from '@shared/messages'
import { useClient, useSettings } from '../../api/queries'
import { ExternalLinkButton } from './ExternalLinkButton'

/** Whom a message goes to, and the opportunities it can be about. */
export interface MessageTarget {
  user_id: string
  label: string
  phone: string | null
  email: string | null
  opportunities: Opportunity[]
}

/** The schemes of an opportunity's SIPs, in order, each once. */
const schemesOf = (opportunity: Opportunity, sips: ClientSip[] | undefined): string[] => [
  ...new Set((sips ?? []).filter((sip) => opportunity.sip_meta_ids.includes(sip.sip_meta_id)).flatMap((sip) => sip.schemes)),
]

/** SPEC §5: a message about one of the client's reasons, from its template — edited here, then copied, emailed or sent on WhatsApp. */
export function MessageDialog({ target, onClose }: { target: MessageTarget | null; onClose: () => void }) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? `Message ${target.label}` : ''} size="lg">
      {target ? <MessageForm key={target.user_id} target={target} /> : null}
    </Modal>
  )
}

function MessageForm({ target }: { target: MessageTarget }) {
  const settings = useSettings()
  // Scheme names for {scheme}: the SIPs of this client, the user_id under the opportunities' agent.
  const client = useClient(target.user_id, target.opportunities[0].agent_external_id ?? '')
  const [type, setType] = useState<OpportunityType>(target.opportunities[0].type)
  const [edited, setEdited] = useState<string | null>(null)
  const opportunity = target.opportunities.find((o) => o.type === type) ?? target.opportunities[0]
  const template = settings.data?.templates[opportunity.type]
  const filled = template
    ? fillTemplate(
        template,
        placeholderValues(opportunity, {
          advisorName: settings.data?.advisor.name ?? null,
          schemes: schemesOf(opportunity, client.data?.sips),
        }),
      )
    : ''
  const text = edited ?? filled
  const phone = whatsappNumber(target.phone)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      notifications.show({ color: 'green', message: 'Message copied' })
    } catch {
      notifications.show({ color: 'red', message: 'The clipboard is not available here: select the text and copy it' })
    }
  }

  return (
    <Stack gap="md" data-testid="message-form">
      {target.opportunities.length > 1 ? (
        <SegmentedControl
          value={type}
          onChange={(value) => {
            setType(value as OpportunityType)
            setEdited(null)
          }}
          data={target.opportunities.map((o) => ({ value: o.type, label: TYPE_LABELS[o.type] }))}
          aria-label="Message about"
        />
      ) : (
        <Text size="sm" c="dimmed">
          About: {TYPE_LABELS[opportunity.type]}
        </Text>
      )}
      <Textarea
        label="Message"
        value={text}
        onChange={(event) => setEdited(event.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={10}
        data-testid="message-text"
      />
      <Group gap="sm">
        <Button leftSection={<IconCopy size={16} />} onClick={() => void copy()} disabled={!text}>
          Copy
        </Button>
        {target.email ? (
          <ExternalLinkButton href={mailtoLink(target.email, 'About your SIP', text)} icon={<IconMail size={16} />}>
            Email
          </ExternalLinkButton>
        ) : (
          <Unavailable label="Email" reason="no email address" icon={<IconMail size={16} />} />
        )}
        {phone ? (
          <ExternalLinkButton href={whatsappLink(phone, text)} icon={<IconBrandWhatsapp size={16} />}>
            WhatsApp
          </ExternalLinkButton>
        ) : (
          <Unavailable label="WhatsApp" reason="no phone number" icon={<IconBrandWhatsapp size={16} />} />
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
