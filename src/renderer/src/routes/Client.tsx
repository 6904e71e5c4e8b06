import { useState } from 'react'
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { IconArrowLeft, IconMail, IconPhone, IconPhoneCall, IconPrinter } from '@tabler/icons-react'
import { useLocation, useParams } from 'wouter'
import { clientLabel } from '@shared/detection'
import { formatInr } from '@shared/format'
import { LANGUAGES, type Language } from '@shared/messages'
import { useClient, useClientLanguage } from '../api/queries'
import { FollowUpPanel } from '../components/FollowUpPanel'
import { CallLog } from '../components/today/CallLog'
import { LogCallDialog, type CallTarget } from '../components/today/LogCallDialog'
import { SipTable } from '../components/SipTable'
import { LineChart } from '../components/charts'
import { historyMarks, historySeries } from '../logic/history'

/** Everything about one client before a call or a meeting. */
export function ClientRoute() {
  const { id } = useParams<{ id: string }>()
  const userId = decodeURIComponent(id)
  const [, navigate] = useLocation()
  const client = useClient(userId)
  const [calling, setCalling] = useState<CallTarget | null>(null)
  const setLanguage = useClientLanguage()
  useHotkeys([['mod+P', () => navigate(`/clients/${encodeURIComponent(userId)}/report`)]])
  if (client.isError) return <Text c="red">{(client.error as Error).message}</Text>
  if (!client.data) return null
  const c = client.data
  const live = c.sips.filter((s) => !s.deleted)
  const history = historySeries(c)
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Anchor size="sm" onClick={() => window.history.back()}>
            <Group gap={4}>
              <IconArrowLeft size={14} /> Back
            </Group>
          </Anchor>
          <Title order={2} data-testid="client-name">
            {clientLabel(c.name, c.user_id)}
          </Title>
          <Group gap="lg">
            {c.phone_number ? (
              <Group gap={4}>
                <IconPhone size={14} />
                <Text size="sm">{c.phone_number}</Text>
              </Group>
            ) : null}
            {c.email ? (
              <Group gap={4}>
                <IconMail size={14} />
                <Text size="sm">{c.email}</Text>
              </Group>
            ) : null}
            <Text size="sm" c="dimmed">
              {c.crn ? `${c.crn} · ` : ''}
              {c.user_id}
            </Text>
          </Group>
          <Text size="sm">Agent: {c.agent_name ?? c.agent_external_id ?? '—'}</Text>
          <Group gap="xs">
            <Text size="sm">Messages in</Text>
            <SegmentedControl
              size="xs"
              aria-label="Language of messages"
              data-testid="client-language"
              value={c.language}
              onChange={(value) =>
                setLanguage.mutate({ user_id: c.user_id, agent_external_id: c.agent_external_id, language: value as Language })
              }
              data={LANGUAGES.map((lang) => ({ value: lang, label: lang === 'en' ? 'English' : 'हिन्दी' }))}
            />
          </Group>
        </Stack>
        <Button leftSection={<IconPrinter size={16} />} onClick={() => navigate(`/clients/${encodeURIComponent(userId)}/report`)}>
          Print report
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {[
          ['Live SIPs', String(live.length)],
          ['Monthly SIP', formatInr(live.filter((s) => s.is_active).reduce((n, s) => n + s.amount, 0))],
          ['Invested', formatInr(live.reduce((n, s) => n + (s.success_amount ?? 0), 0))],
          ['Current value', formatInr(c.total_current_value)],
        ].map(([label, value]) => (
          <Card key={label} withBorder radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text fz="xl" fw={700}>
              {value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Card withBorder radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>Calls</Title>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPhoneCall size={14} />}
            onClick={() =>
              setCalling({ user_id: c.user_id, agent_external_id: c.agent_external_id, label: clientLabel(c.name, c.user_id) })
            }
          >
            Log call
          </Button>
        </Group>
        <CallLog calls={c.calls} />
      </Card>
      <LogCallDialog target={calling} onClose={() => setCalling(null)} />
      <Stack gap="sm">
        <Title order={4}>Opportunities</Title>
        {c.opportunities.length === 0 ? <Text c="dimmed">Nothing to act on for this client right now.</Text> : null}
        {c.opportunities.map((o, i) => (
          <FollowUpPanel key={`${o.type}-${o.agent_external_id}`} opportunity={o} followUp={c.follow_ups[i]} />
        ))}
      </Stack>
      <Card withBorder radius="md">
        <Title order={4} mb="sm">
          SIPs
        </Title>
        <SipTable sips={c.sips} />
      </Card>
      {history.changed ? (
        <Card withBorder radius="md">
          <Title order={4} mb="sm">
            SIP amounts across imports
          </Title>
          <div style={{ position: 'relative', height: 240 }}>
            <LineChart label="SIP amounts across imports" labels={history.labels} series={history.series} />
          </div>
          {historyMarks(c).map((mark) => (
            <Text key={mark.key} size="sm" data-testid="history-mark">
              {mark.text}
            </Text>
          ))}
        </Card>
      ) : null}
    </Stack>
  )
}
