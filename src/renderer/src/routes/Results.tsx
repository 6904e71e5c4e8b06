import { useState, type ReactNode } from 'react'
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { IconArrowDown, IconArrowUp, IconPrinter } from '@tabler/icons-react'
import { Link, useLocation, useSearch } from 'wouter'
import { agentKey } from '@shared/agentKey'
import { CALL_OUTCOMES, OUTCOME_LABELS } from '@shared/detection'
import { addDays, formatCompactInr, formatCount, formatDate, formatDayMonth, formatInr } from '@shared/format'
import { DEFAULT_WEEKS, mondayOf, type Results, type ResultsAgent, type ResultsImport } from '@shared/results'
import { useAppInfo } from '../api/queries'
import { invoke } from '../api/transport'
import { OpenData } from '../components/OpenData'
import { AgentFilter } from '../components/today/AgentFilter'
import { BarChart, PALETTE } from '../components/charts'
import { ImportLine, WeeklyChart } from '../components/resultsCharts'
import { agentLabel } from '@shared/detection'
import { localToday } from '@shared/format'
import classes from './Results.module.css'

const PERIODS = [4, DEFAULT_WEEKS, 26, 52]

/** The book's figures across imports, in the order of SPEC §5a. */
const BOOK_FIGURES: {
  key: keyof ResultsImport & ('live_sips' | 'monthly_active' | 'failing' | 'final_warnings' | 'at_stake')
  label: string
  hint?: string
  money?: boolean
}[] = [
  { key: 'live_sips', label: 'Live SIPs' },
  { key: 'monthly_active', label: 'Monthly SIP inflow', money: true },
  { key: 'failing', label: 'SIPs failing now' },
  { key: 'final_warnings', label: 'Final warnings', hint: 'Clients with a SIP one failed instalment from cancellation' },
  { key: 'at_stake', label: '₹ a year at stake', money: true },
]

/** A table shown to screen readers and on paper; the chart above it shows the same figures. */
function ChartTable({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className={classes.chartTable}>
      <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={2}>
        <caption>{caption}</caption>
        {children}
      </Table>
    </div>
  )
}

function Section({ title, note, children, className }: { title: string; note?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <Card withBorder radius="md" padding="sm" className={className}>
      <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {note}
      </Group>
      {children}
    </Card>
  )
}

/** What to do when a part has nothing to show yet. */
function Empty({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <Stack justify="center" align="center" h="100%" gap={6} p="sm" data-testid={testId}>
      {children}
    </Stack>
  )
}

function WeeksSection({ results }: { results: Results }) {
  const calls = results.weeks.reduce((n, w) => n + CALL_OUTCOMES.reduce((m, o) => m + w.calls[o], 0), 0)
  const won = results.weeks.reduce((n, w) => n + w.won_annual, 0)
  return (
    <Section title="Calls per week, and ₹ a year won" className={classes.weeks}>
      <div className={classes.weeklyChart}>
        {calls === 0 && won === 0 ? (
          <Empty testId="results-no-calls">
            <Text size="sm" c="dimmed" ta="center" maw={420}>
              No calls logged in these weeks. Log each call from Today (Log call on a client); then open the next export, and the calls it
              credits show here as ₹ a year won.
            </Text>
            <Button component={Link} href="/today" size="xs" variant="light">
              Go to Today
            </Button>
          </Empty>
        ) : (
          <WeeklyChart weeks={results.weeks} />
        )}
      </div>
      <ChartTable caption="Calls per week by outcome, clients called, messages, follow-ups credited and ₹ a year won">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Week of</Table.Th>
            {CALL_OUTCOMES.map((o) => (
              <Table.Th key={o}>{OUTCOME_LABELS[o]}</Table.Th>
            ))}
            <Table.Th>Clients called</Table.Th>
            <Table.Th>Messages</Table.Th>
            <Table.Th>Credited</Table.Th>
            <Table.Th>₹ a year won</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {results.weeks.map((w) => (
            <Table.Tr key={w.week_start} data-testid={`week-${w.week_start}`}>
              <Table.Td>{formatDate(w.week_start)}</Table.Td>
              {CALL_OUTCOMES.map((o) => (
                <Table.Td key={o}>{formatCount(w.calls[o])}</Table.Td>
              ))}
              <Table.Td>{formatCount(w.clients_called)}</Table.Td>
              <Table.Td>{formatCount(w.messages)}</Table.Td>
              <Table.Td>{formatCount(w.credited)}</Table.Td>
              <Table.Td data-testid="week-won">{formatInr(w.won_annual)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ChartTable>
    </Section>
  )
}

function BookSection({ imports }: { imports: readonly ResultsImport[] }) {
  const [, navigate] = useLocation()
  const open = (index: number) => navigate(`/changes/${imports[index].import_id}`)
  const labels = imports.map((i) => (i.as_of ? formatDayMonth(i.as_of) : `#${i.import_id}`))
  const later = imports.some((i) => i.computed_later)
  return (
    <Section
      title="The book across imports"
      className={classes.book}
      note={
        <Text size="xs" c="dimmed" className={classes.screenOnly}>
          {imports.length < 2
            ? 'Open your next export to see the book change'
            : `click a point for that import’s What changed${later ? ' · imports marked * were worked out later' : ''}`}
        </Text>
      }
    >
      {imports.length === 0 ? (
        <Empty testId="results-no-imports">
          <Text size="sm" c="dimmed">
            No import has changed the book yet: open an export.
          </Text>
        </Empty>
      ) : (
        <SimpleGrid cols={5} spacing="xs" className={classes.screenOnly}>
          {BOOK_FIGURES.map((f, i) => {
            const last = imports[imports.length - 1][f.key]
            return (
              <div key={f.key}>
                <Text size="xs" c="dimmed" lineClamp={1} title={f.hint ?? f.label}>
                  {f.label}
                </Text>
                <Text size="sm" fw={700} data-testid={`book-${f.key}`}>
                  {f.money ? formatCompactInr(last) : formatCount(last)}
                </Text>
                <div className={classes.smallChart}>
                  <ImportLine
                    labels={labels}
                    values={imports.map((imp) => imp[f.key])}
                    money={f.money}
                    label={f.label}
                    color={PALETTE[i]}
                    onSelect={open}
                  />
                </div>
              </div>
            )
          })}
        </SimpleGrid>
      )}
      <ChartTable caption="The book as each import left it">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Import</Table.Th>
            <Table.Th>As of</Table.Th>
            {BOOK_FIGURES.map((f) => (
              <Table.Th key={f.key} title={f.hint}>
                {f.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {imports.map((imp) => (
            <Table.Tr key={imp.import_id}>
              <Table.Td>
                <Anchor component={Link} href={`/changes/${imp.import_id}`} size="xs">
                  #{imp.import_id}
                  {imp.computed_later ? ' *' : ''}
                </Anchor>
              </Table.Td>
              <Table.Td>{formatDate(imp.as_of)}</Table.Td>
              {BOOK_FIGURES.map((f) => (
                <Table.Td key={f.key}>{f.money ? formatInr(imp[f.key]) : formatCount(imp[f.key])}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ChartTable>
    </Section>
  )
}

const STAGES = [
  { key: 'planned', label: 'Planned' },
  { key: 'called', label: 'Called' },
  { key: 'credited', label: 'Credited' },
] as const

/** SPEC §5a/§8.12: of the clients in the period's day plans, how many were called and how many credited. */
function ConversionSection({ conversion }: { conversion: Results['conversion'] }) {
  const share = (n: number): string => (conversion.planned > 0 ? `${Math.round((100 * n) / conversion.planned)}%` : '')
  return (
    <Section title="Conversion" className={classes.conversion}>
      <div className={classes.weeklyChart}>
        {conversion.planned === 0 ? (
          <Empty testId="results-no-plans">
            <Text size="sm" c="dimmed" ta="center">
              No day plan in these weeks. Open Today each morning: it fixes the day’s plan, and this shows how many of those clients you
              called and how many the next export credited.
            </Text>
          </Empty>
        ) : (
          <BarChart
            label="Conversion: clients planned, called and credited"
            labels={STAGES.map((s) => `${s.label} ${share(conversion[s.key])}`)}
            values={STAGES.map((s) => conversion[s.key])}
            colors={['#868e96', '#4c6ef5', '#12b886']}
            horizontal
          />
        )}
      </div>
      <ChartTable caption="Conversion: clients of the period's day plans">
        <Table.Tbody>
          {STAGES.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Th>{s.label}</Table.Th>
              <Table.Td data-testid={`conversion-${s.key}`}>{formatCount(conversion[s.key])}</Table.Td>
              <Table.Td>{share(conversion[s.key])}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ChartTable>
    </Section>
  )
}

type AgentColumn = 'agent' | 'calls' | 'clients_called' | 'credited' | 'won_annual'
const AGENT_COLUMNS: { key: AgentColumn; label: string; value: (a: ResultsAgent) => string | number }[] = [
  { key: 'agent', label: 'Agent', value: (a) => agentLabel(a) },
  { key: 'calls', label: 'Calls', value: (a) => a.calls },
  { key: 'clients_called', label: 'Clients called', value: (a) => a.clients_called },
  { key: 'credited', label: 'Credited', value: (a) => a.credited },
  { key: 'won_annual', label: '₹ a year won', value: (a) => a.won_annual },
]
/** Agents printed on the one page. */
const PRINTED_AGENTS = 12
/** Agents the screen draws until asked for all (a large book has thousands: drawing them all costs seconds). */
const SHOWN_AGENTS = 50

function AgentsSection({ agents }: { agents: readonly ResultsAgent[] }) {
  const [sort, setSort] = useState<{ key: AgentColumn; desc: boolean }>({ key: 'won_annual', desc: true })
  const [all, setAll] = useState(false)
  const column = AGENT_COLUMNS.find((c) => c.key === sort.key)!
  const rows = [...agents].sort((a, b) => {
    const x = column.value(a)
    const y = column.value(b)
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
    return sort.desc ? -order : order
  })
  return (
    <Section title="Per agent" className={classes.agents}>
      {agents.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="results-no-agents">
          No calls or credits in this period.
        </Text>
      ) : (
        <Table striped highlightOnHover fz="sm" verticalSpacing={4} data-testid="results-agents">
          <Table.Thead>
            <Table.Tr>
              {AGENT_COLUMNS.map((c) => (
                <Table.Th
                  key={c.key}
                  ta={c.key === 'agent' ? 'left' : 'right'}
                  aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <UnstyledButton
                    fw={600}
                    fz="sm"
                    onClick={() => setSort({ key: c.key, desc: sort.key === c.key ? !sort.desc : c.key !== 'agent' })}
                  >
                    <Group gap={2} wrap="nowrap" justify={c.key === 'agent' ? 'flex-start' : 'flex-end'}>
                      {c.label}
                      {sort.key === c.key ? sort.desc ? <IconArrowDown size={12} /> : <IconArrowUp size={12} /> : null}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(all ? rows : rows.slice(0, SHOWN_AGENTS)).map((a, i) => (
              <Table.Tr key={agentKey(a.agent_external_id)} className={i >= PRINTED_AGENTS ? classes.screenOnly : undefined}>
                <Table.Td title={a.agent_external_id ?? undefined}>{agentLabel(a)}</Table.Td>
                <Table.Td ta="right">{formatCount(a.calls)}</Table.Td>
                <Table.Td ta="right">{formatCount(a.clients_called)}</Table.Td>
                <Table.Td ta="right">{formatCount(a.credited)}</Table.Td>
                <Table.Td ta="right">{formatInr(a.won_annual)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          {rows.length > PRINTED_AGENTS ? (
            <caption className={classes.printOnly}>and {formatCount(rows.length - PRINTED_AGENTS)} more agents</caption>
          ) : null}
        </Table>
      )}
      {!all && rows.length > SHOWN_AGENTS ? (
        <Button
          size="xs"
          variant="subtle"
          mt={4}
          className={classes.screenOnly}
          onClick={() => setAll(true)}
          data-testid="results-all-agents"
        >
          Show all {formatCount(rows.length)} agents
        </Button>
      ) : null}
    </Section>
  )
}

/** SPEC §5a: did the calls work, and is the book getting better — week by week, export by export, per agent. */
export function ResultsRoute() {
  const [, navigate] = useLocation()
  const search = new URLSearchParams(useSearch())
  const agent = search.get('agent')
  const weeks = Number(search.get('weeks')) || DEFAULT_WEEKS
  const info = useAppInfo()
  const to = localToday()
  const request = { ...(agent ? { agent } : {}), from: addDays(mondayOf(to), -7 * (weeks - 1)), to }
  const results = useQuery({
    queryKey: ['results:get', request],
    queryFn: () => invoke('results:get', request),
    placeholderData: keepPreviousData,
  })
  const go = (change: { agent?: string | null; weeks?: number }) => {
    const next = new URLSearchParams()
    const a = change.agent === undefined ? agent : change.agent
    const w = change.weeks ?? weeks
    if (a) next.set('agent', a)
    if (w !== DEFAULT_WEEKS) next.set('weeks', String(w))
    navigate(next.size ? `/results?${next}` : '/results', { replace: true })
  }
  if (!info.data) return null
  if (info.data.sip_count === 0 && info.data.import_count === 0) return <OpenData />
  const r = results.data
  const totals = r && {
    calls: r.weeks.reduce((n, w) => n + CALL_OUTCOMES.reduce((m, o) => m + w.calls[o], 0), 0),
    credited: r.weeks.reduce((n, w) => n + w.credited, 0),
    won: r.weeks.reduce((n, w) => n + w.won_annual, 0),
  }
  return (
    <Stack gap="xs" className={classes.page} data-testid="results">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={2}>Results</Title>
          <div className={classes.screenOnly}>
            <AgentFilter value={agent} onChange={(value) => go({ agent: value })} w={220} data-testid="results-agent" />
          </div>
          <SegmentedControl
            className={classes.screenOnly}
            size="xs"
            aria-label="Period"
            value={String(weeks)}
            onChange={(value) => go({ weeks: Number(value) })}
            data={PERIODS.map((w) => ({ value: String(w), label: `${w} weeks` }))}
          />
        </Group>
        <Button
          className={classes.screenOnly}
          size="xs"
          variant="default"
          leftSection={<IconPrinter size={14} />}
          onClick={() => window.print()}
        >
          Print results
        </Button>
      </Group>
      {r && totals ? (
        <>
          <Text size="sm" data-testid="results-summary">
            {formatDate(r.from)} – {formatDate(r.to)}
            {agent ? ` · agent ${agent}` : ''}: <b>{formatCount(totals.calls)}</b> calls, <b>{formatCount(totals.credited)}</b> follow-ups
            credited by the exports since, <b>{formatInr(totals.won)}</b> a year won
          </Text>
          <div className={classes.top}>
            <WeeksSection results={r} />
            <ConversionSection conversion={r.conversion} />
          </div>
          <BookSection imports={r.imports} />
          <AgentsSection agents={r.agents} />
        </>
      ) : null}
    </Stack>
  )
}
