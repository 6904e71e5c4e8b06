import type { ReactNode } from 'react'
import { Badge, Button, Card, Grid, Group, Select, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { IconAlarm, IconPhoneCall } from '@tabler/icons-react'
import { useLocation, useSearch } from 'wouter'
import { OPPORTUNITY_TYPES, TYPE_COLORS, TYPE_LABELS, type OpportunityType } from '@shared/detection'
import { formatCompactInr, formatCount, formatInr } from '@shared/format'
import { useAgents, useAppInfo, useStats } from '../api/queries'
import { OpenData } from '../components/OpenData'
import { SinceLastExport } from '../components/SinceLastExport'
import { BarChart, DoughnutChart } from '../components/charts'
import { agentLabel } from '@shared/detection'
import { listHref, type ListState } from '../logic/listState'
import classes from './Dashboard.module.css'
import { agentKey } from '@shared/agentKey'

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md">
      <Text fw={600} mb="sm">
        {title}
      </Text>
      <div className={classes.chart}>{children}</div>
    </Card>
  )
}

/** A book figure; long rupee amounts show compactly, with the exact amount on hover and in `data-value`. */
function Figure({ label, value, full, testId }: { label: string; value: string; full?: string; testId: string }) {
  return (
    <Card withBorder radius="md" padding="sm" title={full}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} truncate>
        {label}
      </Text>
      <Text fz={22} fw={700} className={classes.figure} data-testid={testId} data-value={full ?? value}>
        {value}
      </Text>
    </Card>
  )
}

/** The morning's headline: ₹ a year at stake over the clients due, and the way to Today. */
function AtStakeHeadline({ annual, dueClients, callsToday }: { annual: number; dueClients: number; callsToday: number }) {
  const [, navigate] = useLocation()
  return (
    <Card withBorder radius="md" padding="md" h="100%" className={classes.headline}>
      <Stack gap={4} justify="space-between" h="100%">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          ₹ a year at stake
        </Text>
        <Text
          fz={40}
          fw={800}
          lh={1.1}
          className={classes.figure}
          data-testid="annual-at-stake"
          data-value={formatInr(annual)}
          title={formatInr(annual)}
        >
          {formatCompactInr(annual)}
        </Text>
        <Text size="sm" c="dimmed">
          {formatInr(annual)} a year flows through the SIPs of the {formatCount(dueClients)} client{dueClients === 1 ? '' : 's'} to call,
          each SIP counted once.
        </Text>
        <Group gap="xs" mt={4}>
          <Button size="xs" leftSection={<IconPhoneCall size={14} />} onClick={() => navigate('/today')} data-testid="open-today">
            Call {formatCount(dueClients)} client{dueClients === 1 ? '' : 's'}
          </Button>
          {callsToday > 0 ? (
            <Text size="xs" c="dimmed">
              {formatCount(callsToday)} call{callsToday === 1 ? '' : 's'} logged today
            </Text>
          ) : null}
        </Group>
      </Stack>
    </Card>
  )
}

/** Where a slice of the SIP status mix leads: the opportunities those SIPs raise. */
const STATUS_LIST: Record<string, OpportunityType> = { Failed: 'failed_sips', Success: 'no_sip_increase' }

/** The morning view: what the book holds, what it offers, and where to start; for the whole book or one agent. */
export function DashboardRoute() {
  const [, navigate] = useLocation()
  const agent = new URLSearchParams(useSearch()).get('agent')
  const info = useAppInfo()
  const stats = useStats(agent ?? undefined)
  const agents = useAgents()
  if (!info.data) return null
  if (info.data.sip_count === 0) return <OpenData />
  if (!stats.data) return null
  const s = stats.data
  const topAgents = (agents.data?.agents ?? [])
    .filter((a) => a.annual_at_stake > 0 && (!agent || a.agent_external_id === agent))
    .slice(0, 10)
  const list = (change: Partial<ListState>) => navigate(listHref({ ...(agent ? { agent } : {}), ...change }))
  const agentOptions = (agents.data?.agents ?? []).map((a) => ({ value: agentKey(a.agent_external_id), label: agentLabel(a) }))
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>Dashboard</Title>
          <Select
            aria-label="Agent"
            placeholder="All agents"
            data={agentOptions}
            value={agent}
            onChange={(value) => navigate(value ? `/?agent=${encodeURIComponent(value)}` : '/', { replace: true })}
            searchable
            clearable
            limit={200}
            w={260}
            data-testid="dashboard-agent"
          />
        </Group>
        {s.overdue_follow_ups > 0 ? (
          <UnstyledButton onClick={() => list({ overdue: true })}>
            <Badge size="lg" color="red" variant="light" leftSection={<IconAlarm size={14} />} data-testid="overdue">
              {formatCount(s.overdue_follow_ups)} follow-up{s.overdue_follow_ups === 1 ? '' : 's'} overdue
            </Badge>
          </UnstyledButton>
        ) : null}
      </Group>
      <SinceLastExport />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        {OPPORTUNITY_TYPES.map((type) => {
          const t = s.by_type[type]
          const hidden = t.count - t.listed
          return (
            <UnstyledButton
              key={type}
              onClick={() => list({ type })}
              className={classes.typeCard}
              style={{ borderTopColor: TYPE_COLORS[type].hex }}
              data-testid={`card-${type}`}
            >
              <Text size="sm" fw={600} c="dimmed">
                {TYPE_LABELS[type]}
              </Text>
              <Group align="baseline" gap={6}>
                <Text fz={28} fw={700} lh={1.2} data-testid={`count-${type}`}>
                  {formatCount(t.listed)}
                </Text>
                <Text size="sm" c="dimmed">
                  open
                </Text>
              </Group>
              <Text size="xs" c="dimmed" data-testid={`hidden-${type}`}>
                {hidden > 0 ? `+${formatCount(hidden)} snoozed, done or dismissed` : 'none hidden'}
              </Text>
              <Text size="sm" title="Per-type sums overlap: one SIP can be in several types">
                <Text span fw={600} data-testid={`annual-${type}`}>
                  {formatCompactInr(t.annual_value)}
                </Text>{' '}
                a year at stake
              </Text>
              {type === 'failed_sips' ? (
                <Text size="xs" c="dimmed">
                  {formatCompactInr(t.potential)} failed over the SIPs’ lives
                </Text>
              ) : null}
            </UnstyledButton>
          )
        })}
      </SimpleGrid>
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <AtStakeHeadline annual={s.annual_at_stake} dueClients={s.due_clients} callsToday={s.calls_today} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <SimpleGrid cols={3} spacing="sm">
            <Figure label="Live SIPs" value={formatCount(s.book.live_sips)} testId="book-sips" />
            <Figure label="Clients" value={formatCount(s.book.clients)} testId="book-clients" />
            <Figure label="Agents" value={formatCount(s.book.agents)} testId="book-agents" />
            <Figure
              label="Monthly SIP inflow"
              value={formatCompactInr(s.book.monthly_sip_amount)}
              full={formatInr(s.book.monthly_sip_amount)}
              testId="book-monthly"
            />
            <Figure
              label="Invested"
              value={formatCompactInr(s.book.total_invested)}
              full={formatInr(s.book.total_invested)}
              testId="book-invested"
            />
            <Figure
              label="Failed, one-off"
              value={formatCompactInr(s.failed_over_lives)}
              full={`${formatInr(s.failed_over_lives)} failed over the SIPs’ lives: history, not a yearly figure`}
              testId="failed-over-lives"
            />
          </SimpleGrid>
        </Grid.Col>
      </Grid>
      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="sm">
        <ChartCard title="₹ a year at stake by type (overlapping)">
          <BarChart
            label="₹ a year at stake by type"
            labels={OPPORTUNITY_TYPES.map((t) => TYPE_LABELS[t])}
            values={OPPORTUNITY_TYPES.map((t) => s.by_type[t].annual_value)}
            colors={OPPORTUNITY_TYPES.map((t) => TYPE_COLORS[t].hex)}
            money
            onSelect={(i) => list({ type: OPPORTUNITY_TYPES[i] })}
          />
        </ChartCard>
        <ChartCard title="Top 10 agents by ₹ a year at stake">
          <BarChart
            label="Top 10 agents by ₹ a year at stake"
            horizontal
            money
            labels={topAgents.map((a) => agentLabel(a))}
            values={topAgents.map((a) => a.annual_at_stake)}
            onSelect={(i) => navigate(listHref({ agent: topAgents[i].agent_external_id }))}
          />
        </ChartCard>
        <ChartCard title="SIP status mix">
          <DoughnutChart
            label="SIP status mix"
            labels={s.book.status_mix.map((m) => m.status)}
            values={s.book.status_mix.map((m) => m.count)}
            onSelect={(i) => list({ type: STATUS_LIST[s.book.status_mix[i].status] ?? 'high_value_inactive' })}
          />
        </ChartCard>
      </SimpleGrid>
    </Stack>
  )
}
