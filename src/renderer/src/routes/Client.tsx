import { agentKey } from '@shared/agentKey'
import { useState } from 'react'
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { IconArrowLeft, IconMail, IconPhone, IconPhoneCall, IconPrinter } from '@tabler/icons-react'
import { Link, Redirect, useLocation, useParams, useSearch } from 'wouter'
import { clientLabel, type ClientAgent } from '@shared/detection'
import { formatCount, formatInr } from '@shared/format'
import { LANGUAGES, type Language } from '@shared/messages'
import { useClient, useClientAgents, useClientLanguage } from '../api/queries'
import { addressAgent, clientPath } from '../logic/labels'
import { agentLabel } from '@shared/detection'
import { FollowUpPanel } from '../components/FollowUpPanel'
import { CallLog } from '../components/today/CallLog'
import { LogCallDialog, type CallTarget } from '../components/today/LogCallDialog'
import { SipTable } from '../components/SipTable'
import { LineChart } from '../components/charts'
import { historyMarks, historySeries } from '../logic/history'
import { clientTotals } from '../logic/report'

/** The clients a user_id is, one per agent, with links to their pages. */
function AgentLinks({ userId, agents }: { userId: string; agents: ClientAgent[] }) {
  return (
    <Stack gap={4} data-testid="client-agents">
      {agents.map((a) => (
        <Link key={agentKey(a.agent_external_id)} href={clientPath({ user_id: userId, agent_external_id: a.agent_external_id })}>
          <Anchor component="span">
            {agentLabel(a)}
            {a.agent_name && a.agent_external_id ? ` (${a.agent_external_id})` : ''} · {formatCount(a.sips)} SIP{a.sips === 1 ? '' : 's'}
          </Anchor>
        </Link>
      ))}
    </Stack>
  )
}

/**
 * Everything about one client before a call or a meeting. An old address that names only the
 * user_id opens its one client, or asks which when it has SIPs under several agents.
 */
export function ClientRoute() {
  const { id } = useParams<{ id: string }>()
  const userId = decodeURIComponent(id)
  const agent = addressAgent(useSearch())
  const agents = useClientAgents(userId, { enabled: agent === undefined })
  if (agent !== undefined) return <ClientPage userId={userId} agent={agent} />
  if (!agents.data) return agents.isError ? <Text c="red">{agents.error.message}</Text> : null
  if (agents.data.length === 1)
    return <Redirect to={clientPath({ user_id: userId, agent_external_id: agents.data[0].agent_external_id })} replace />
  if (agents.data.length === 0) return <ClientPage userId={userId} agent={undefined} />
  return (
    <Stack gap="sm">
      <Title order={2}>Which client {userId}?</Title>
      <Text>
        {userId} has SIPs under {agents.data.length} agents; each is a client of its own, with its own SIPs, opportunities and calls.
      </Text>
      <AgentLinks userId={userId} agents={agents.data} />
    </Stack>
  )
}

function ClientPage({ userId, agent }: { userId: string; agent: string | undefined }) {
  const [, navigate] = useLocation()
  const client = useClient(userId, agent)
  const [calling, setCalling] = useState<CallTarget | null>(null)
  const setLanguage = useClientLanguage()
  const report = () => client.data && navigate(clientPath(client.data, '/report'))
  useHotkeys([['mod+P', report]])
  if (client.isError) return <Text c="red">{client.error.message}</Text>
  if (!client.data) return null
  const c = client.data
  const totals = clientTotals(c)
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
          <Text size="sm" data-testid="client-agent">
            Agent: {c.agent_name ?? c.agent_external_id ?? '—'}
          </Text>
          {c.other_agents.length > 0 ? (
            <Group gap="xs" align="flex-start">
              <Text size="sm" c="dimmed">
                Also a client under:
              </Text>
              <AgentLinks userId={c.user_id} agents={c.other_agents} />
            </Group>
          ) : null}
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
        <Button leftSection={<IconPrinter size={16} />} onClick={report}>
          Print report
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {[
          ['Live SIPs', String(totals.live)],
          ['Monthly SIP', formatInr(totals.monthly)],
          ['Invested', formatInr(totals.invested)],
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
        <CallLog calls={c.calls} voidCallId={c.void_call_id} />
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
