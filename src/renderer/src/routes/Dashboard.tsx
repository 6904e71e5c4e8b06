import type { ReactNode } from 'react'
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { IconAlarm } from '@tabler/icons-react'
import { useLocation } from 'wouter'
import { OPPORTUNITY_TYPES, TYPE_COLORS, TYPE_LABELS } from '@shared/detection'
import { formatCompactInr, formatCount, formatInr } from '@shared/format'
import { useAgents, useAppInfo, useStats } from '../api/queries'
import { OpenData } from '../components/OpenData'
import { SinceLastExport } from '../components/SinceLastExport'
import { BarChart, DoughnutChart } from '../components/charts'
import classes from './Dashboard.module.css'


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
    <Card withBorder radius="md" padding="md" title={full}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} data-testid={testId} data-value={full ?? value}>
        {value}
      </Text>
    </Card>
  )
}

/** The morning view: what the book holds, what it offers, and where to start. */
export function DashboardRoute() {
  const [, navigate] = useLocation()
  const info = useAppInfo()
  const stats = useStats()
  const agents = useAgents()
  if (!info.data) return null
  if (info.data.sipCount === 0) return <OpenData />
  if (!stats.data) return null
  const s = stats.data
  const topAgents = (agents.data?.agents ?? []).filter((a) => a.annual_at_stake > 0).slice(0, 10)
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Dashboard</Title>
        {s.overdue_follow_ups > 0 ? (
          <UnstyledButton onClick={() => navigate('/opportunities?overdue=1')}>
            <Badge size="lg" color="red" variant="light" leftSection={<IconAlarm size={14} />} data-testid="overdue">
              {formatCount(s.overdue_follow_ups)} follow-up{s.overdue_follow_ups === 1 ? '' : 's'} overdue
            </Badge>
          </UnstyledButton>
        ) : null}
      </Group>
      <SinceLastExport />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {OPPORTUNITY_TYPES.map((type) => (
          <UnstyledButton
            key={type}
            onClick={() => navigate(`/opportunities?type=${type}`)}
            className={classes.typeCard}
            style={{ borderTopColor: TYPE_COLORS[type].hex }}
            data-testid={`card-${type}`}
          >
            <Text size="sm" fw={600} c="dimmed">
              {TYPE_LABELS[type]}
            </Text>
            <Group align="baseline" gap="xs">
              <Text fz={32} fw={700} data-testid={`count-${type}`}>
                {formatCount(s.by_type[type].count)}
              </Text>
              <Text size="sm" c="dimmed">
                clients
              </Text>
            </Group>
            <Text size="sm">
              <Text span fw={600} data-testid={`potential-${type}`}>
                {formatInr(s.by_type[type].annual_value)}
              </Text>{' '}
              {type === 'failed_sips' ? 'to recover' : 'a year in potential'}
            </Text>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
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
          label="Total potential"
          value={formatCompactInr(s.annual_at_stake)}
          full={formatInr(s.annual_at_stake)}
          testId="total-potential"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 3 }}>
        <ChartCard title="Potential by opportunity">
          <BarChart
            label="Potential by opportunity"
            labels={OPPORTUNITY_TYPES.map((t) => TYPE_LABELS[t])}
            values={OPPORTUNITY_TYPES.map((t) => s.by_type[t].annual_value)}
            colors={OPPORTUNITY_TYPES.map((t) => TYPE_COLORS[t].hex)}
            money
            onSelect={(i) => navigate(`/opportunities?type=${OPPORTUNITY_TYPES[i]}`)}
          />
        </ChartCard>
        <ChartCard title="Top agents by potential">
          <BarChart
            label="Top agents by potential"
            horizontal
            money
            labels={topAgents.map((a) => a.agent_name ?? a.agent_external_id ?? 'No agent')}
            values={topAgents.map((a) => a.annual_at_stake)}
            onSelect={(i) => navigate(`/opportunities?agent=${encodeURIComponent(topAgents[i].agent_external_id ?? '')}`)}
          />
        </ChartCard>
        <ChartCard title="SIP status mix">
          <DoughnutChart
            label="SIP status mix"
            labels={s.book.status_mix.map((m) => m.status)}
            values={s.book.status_mix.map((m) => m.count)}
            onSelect={(i) => navigate(s.book.status_mix[i].status === 'Failed' ? '/opportunities?type=failed_sips' : '/opportunities')}
          />
        </ChartCard>
      </SimpleGrid>
    </Stack>
  )
}
