import { useState } from 'react'
import { Badge, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useLocation, useParams } from 'wouter'
import {
  EVENT_LABELS,
  reopenedHeadline,
  worseByClient,
  SIP_EVENTS,
  type EventValues,
  type OpportunityChangeFilter,
  type SipEventKind,
} from '@shared/changes'
import { clientLabel } from '@shared/detection'
import { formatCount, formatDate, formatDateTime, formatInr } from '@shared/format'
import { clientPath } from '../logic/labels'
import { useAgents } from '../api/queries'
import { invoke } from '../api/transport'
import { ChangeTotalsLine, EVENT_COLORS, EventBadges } from '../components/ImportReportView'
import { TypeBadge } from '../components/TypeBadge'

const PAGE = 100

/** An event's before/after values in words: amounts in ₹, flags as yes/no. */
const describe = (values: EventValues | null): string =>
  values === null
    ? '—'
    : Object.entries(values)
        .map(([key, v]) => {
          const shown =
            typeof v === 'number' && key.endsWith('amount') ? formatInr(v) : typeof v === 'boolean' ? (v ? 'yes' : 'no') : (v ?? '—')
          return `${key.replace('_', ' ')} ${shown}`
        })
        .join(', ')

/** What an empty opportunity list says, per filter: credits come from the next export, not from the call. */
const EMPTY_OPPORTUNITIES: Record<OpportunityChangeFilter | 'all', string> = {
  all: 'No opportunity is new or resolved in this import.',
  credited:
    'No follow-up credited by this import. A client you reached is credited when an export shows the fix: a step-up, a SIP that pays again, a renewal.',
  reopened: 'No follow-up reopened by this import.',
  new: 'No new opportunity in this import.',
  resolved: 'No opportunity resolved by this import.',
}

/** Clients who got worse listed before "Show all": the headline counts them all. */
const WORSE_SHOWN = 8

/** SPEC §7.1: the SIP events and opportunities new and resolved of any import, filtered by event and agent. */
export function ChangesRoute() {
  const params = useParams<{ id?: string }>()
  const [, navigate] = useLocation()
  const [event, setEvent] = useState<SipEventKind | null>(null)
  const [agent, setAgent] = useState<string | null>(null)
  const [opportunity, setOpportunity] = useState<OpportunityChangeFilter | 'all'>('all')
  const [allWorse, setAllWorse] = useState(false)
  const imports = useQuery({ queryKey: ['import:list'], queryFn: () => invoke('import:list', {}) })
  const agents = useAgents()
  const importId = params.id ? Number(params.id) : undefined
  const filters = {
    ...(importId ? { import_id: importId } : {}),
    ...(event ? { event } : {}),
    ...(agent ? { agent } : {}),
    ...(opportunity !== 'all' ? { opportunity } : {}),
  }
  const pages = useInfiniteQuery({
    queryKey: ['changes:get', filters],
    queryFn: ({ pageParam }) => invoke('changes:get', { ...filters, limit: PAGE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, all) => {
      const loaded = all.length * PAGE
      return loaded < Math.max(last.sip_event_total, last.opportunity_total) ? loaded : undefined
    },
    retry: false,
  })
  const first = pages.data?.pages[0]
  const events = pages.data?.pages.flatMap((p) => p.sip_events) ?? []
  const opportunities = pages.data?.pages.flatMap((p) => p.opportunities) ?? []
  const worse = first ? worseByClient(first.reopened) : []

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>What changed</Title>
        <Select
          aria-label="Import"
          w={360}
          data={(imports.data ?? []).map((s) => ({
            value: String(s.import_id),
            label: `#${s.import_id} · ${s.files.map((f) => f.file).join(', ')} · ${formatDateTime(s.finished_at)}${s.undone ? ' (undone)' : ''}`,
          }))}
          value={first ? String(first.import_id) : null}
          onChange={(value) => value && navigate(`/changes/${value}`)}
          allowDeselect={false}
        />
      </Group>
      {pages.error ? <Text c="dimmed">{(pages.error as Error).message}</Text> : null}
      {first ? (
        <>
          <Card withBorder radius="md">
            <Stack gap="xs">
              <Group gap="xs">
                <Text fw={600} data-testid="changes-title">
                  Import #{first.import_id}: {first.files.join(', ')}
                </Text>
                {first.undone ? <Badge color="gray">Undone</Badge> : null}
              </Group>
              <Text size="sm" c="dimmed">
                {first.previous_as_of
                  ? `Data of ${formatDate(first.as_of)} compared with the previous export, ${formatDate(first.previous_as_of)}`
                  : `The first import: everything in the book of ${formatDate(first.as_of)} is new`}
              </Text>
              <EventBadges counts={first.event_counts} />
              <ChangeTotalsLine totals={first.totals} />
            </Stack>
          </Card>
          {worse.length > 0 ? (
            <Card withBorder radius="md" p={0} data-testid="reopened">
              <Text fw={600} p="sm" c="orange.8">
                {`${reopenedHeadline(first.reopened)}: back in Today`}
              </Text>
              <Table highlightOnHover verticalSpacing={6}>
                <Table.Tbody>
                  {(allWorse ? worse : worse.slice(0, WORSE_SHOWN)).map((c) => (
                    <Table.Tr
                      key={`${c.user_id}-${c.agent_external_id}`}
                      style={{ cursor: 'pointer' }}
                      onClick={() => navigate(clientPath(c))}
                    >
                      <Table.Td w={220}>{clientLabel(c.client_name, c.user_id)}</Table.Td>
                      <Table.Td w={430}>
                        <Group gap={4} wrap="nowrap">
                          {c.types.map((type) => (
                            <TypeBadge key={type} type={type} style={{ flexShrink: 0 }} />
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>{c.what}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {worse.length > WORSE_SHOWN ? (
                <Button variant="subtle" size="xs" m="xs" onClick={() => setAllWorse((all) => !all)}>
                  {allWorse ? 'Show fewer' : `Show all ${formatCount(worse.length)} clients`}
                </Button>
              ) : null}
            </Card>
          ) : null}
          <Card withBorder radius="md" p={0}>
            <Group justify="space-between" p="sm" gap="xs">
              <Text fw={600}>What your calls did, and the opportunities new and resolved</Text>
              <SegmentedControl
                size="xs"
                aria-label="Opportunity changes"
                value={opportunity}
                onChange={(value) => setOpportunity(value as OpportunityChangeFilter | 'all')}
                data={[
                  { value: 'all', label: 'All' },
                  { value: 'credited', label: `Credited (${formatCount(first.totals.credited)})` },
                  { value: 'reopened', label: 'Reopened' },
                  { value: 'new', label: `New (${formatCount(first.totals.new)})` },
                  { value: 'resolved', label: `Resolved (${formatCount(first.totals.resolved)})` },
                ]}
                data-testid="opportunity-filter"
              />
            </Group>
            <Table highlightOnHover verticalSpacing={6} data-testid="opportunity-changes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Change</Table.Th>
                  <Table.Th>Opportunity</Table.Th>
                  <Table.Th>Client</Table.Th>
                  <Table.Th ta="right">₹ a year</Table.Th>
                  <Table.Th>Follow-up</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {opportunities.map((o) => (
                  <Table.Tr
                    key={`${o.type}-${o.user_id}-${o.agent_external_id}`}
                    style={{ cursor: 'pointer' }}
                    onClick={() => navigate(clientPath(o))}
                    data-credited={o.credited}
                  >
                    <Table.Td>
                      <Badge color={o.change === 'new' ? 'blue' : 'gray'} variant="light">
                        {o.change}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <TypeBadge type={o.type} />
                    </Table.Td>
                    <Table.Td>{clientLabel(o.client_name, o.user_id)}</Table.Td>
                    <Table.Td ta="right">{formatInr(o.annual_value)}</Table.Td>
                    <Table.Td>
                      {o.credited ? (
                        <Group gap={6} wrap="nowrap">
                          <Badge color="green">Credited</Badge>
                          <Text size="xs" c="dimmed">
                            {o.reason}
                          </Text>
                        </Group>
                      ) : o.reopened ? (
                        <Badge color="orange" variant="light">
                          Reopened
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {opportunities.length === 0 ? (
              <Text c="dimmed" p="sm" data-testid="no-opportunity-changes">
                {EMPTY_OPPORTUNITIES[opportunity]}
              </Text>
            ) : null}
          </Card>
          <Group>
            <Select
              label="Event"
              placeholder="Every event"
              clearable
              w={220}
              data={SIP_EVENTS.map((e) => ({ value: e, label: `${EVENT_LABELS[e]} (${formatCount(first.event_counts[e])})` }))}
              value={event}
              onChange={(value) => setEvent(value as SipEventKind | null)}
              data-testid="event-filter"
            />
            <Select
              label="Agent"
              placeholder="Every agent"
              clearable
              searchable
              w={260}
              data={(agents.data?.agents ?? []).flatMap((a) =>
                a.agent_external_id ? [{ value: a.agent_external_id, label: a.agent_name ?? a.agent_external_id }] : [],
              )}
              value={agent}
              onChange={setAgent}
            />
          </Group>
          <Card withBorder radius="md" p={0}>
            <Text fw={600} p="sm">
              SIP events ({formatCount(first.sip_event_total)})
            </Text>
            <Table highlightOnHover verticalSpacing={6} data-testid="sip-events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>SIP</Table.Th>
                  <Table.Th>Client</Table.Th>
                  <Table.Th>Before</Table.Th>
                  <Table.Th>After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((e) => (
                  <Table.Tr key={`${e.sip_meta_id}-${e.event}`} style={{ cursor: 'pointer' }} onClick={() => navigate(clientPath(e))}>
                    <Table.Td>
                      <Badge color={EVENT_COLORS[e.event]} variant="light">
                        {EVENT_LABELS[e.event]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{e.sip_meta_id}</Table.Td>
                    <Table.Td>{clientLabel(e.client_name, e.user_id)}</Table.Td>
                    <Table.Td>{describe(e.before)}</Table.Td>
                    <Table.Td>{describe(e.after)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {events.length === 0 ? (
              <Text c="dimmed" p="sm">
                No SIP event{event ? ` of this kind` : ''}.
              </Text>
            ) : null}
          </Card>
          {pages.hasNextPage ? (
            <Group justify="center">
              <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                Show more
              </Button>
            </Group>
          ) : null}
        </>
      ) : null}
    </Stack>
  )
}
