import { Button, Group, Text } from '@mantine/core'
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useEffect } from 'react'
import { useParams } from 'wouter'
import { clientLabel, TYPE_LABELS, type ClientDetail } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'
import { useClient } from '../api/queries'
import { invoke, isDesktop, onMenu } from '../api/transport'
import classes from './Report.module.css'

function ReportPage({ client }: { client: ClientDetail }) {
  const live = client.sips.filter((s) => !s.deleted)
  const monthly = live.filter((s) => s.is_active).reduce((n, s) => n + s.amount, 0)
  const invested = live.reduce((n, s) => n + (s.success_amount ?? 0), 0)
  const potential = client.opportunities.reduce((n, o) => n + o.annual_value, 0)
  return (
    <article className={classes.page} data-testid="client-report">
      <header className={classes.header}>
        <div>
          <h1>{clientLabel(client.name, client.user_id)}</h1>
          <p>{[client.phone_number, client.email, client.crn].filter(Boolean).join(' · ') || client.user_id}</p>
          <p>Agent: {client.agent_name ?? client.agent_external_id ?? '—'}</p>
        </div>
        <div className={classes.meta}>
          <strong>Client review</strong>
          <span>As of {formatDate(client.as_of)}</span>
          <span>Prepared {formatDate(new Date().toISOString())}</span>
        </div>
      </header>
      <section className={classes.figures}>
        <div>
          <span>Live SIPs</span>
          <strong>{live.length}</strong>
        </div>
        <div>
          <span>Monthly SIP</span>
          <strong>{formatInr(monthly)}</strong>
        </div>
        <div>
          <span>Invested</span>
          <strong>{formatInr(invested)}</strong>
        </div>
        <div>
          <span>Current value</span>
          <strong>{formatInr(client.total_current_value)}</strong>
        </div>
        <div>
          <span>Opportunity a year</span>
          <strong>{formatInr(potential)}</strong>
        </div>
      </section>
      <h2>SIPs</h2>
      <table className={classes.table}>
        <thead>
          <tr>
            <th>SIP</th>
            <th>Schemes</th>
            <th>Status</th>
            <th className={classes.num}>Amount</th>
            <th>Started</th>
            <th>Last paid</th>
            <th className={classes.num}>Invested</th>
            <th className={classes.num}>Failed</th>
          </tr>
        </thead>
        <tbody>
          {client.sips.map((s) => (
            <tr key={s.sip_meta_id}>
              <td>{s.sip_meta_id}</td>
              <td>{s.schemes.join(', ')}</td>
              <td>{s.deleted ? 'deleted' : `${s.status ?? '—'}${s.is_active === false ? ' (inactive)' : ''}`}</td>
              <td className={classes.num}>{formatInr(s.amount)}</td>
              <td>{formatDate(s.start_date)}</td>
              <td>{formatDate(s.latest_success_order_date)}</td>
              <td className={classes.num}>{formatInr(s.success_amount)}</td>
              <td className={classes.num}>{formatInr(s.failed_amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3}>Total (live SIPs)</td>
            <td className={classes.num}>{formatInr(live.reduce((n, s) => n + s.amount, 0))}</td>
            <td colSpan={2} />
            <td className={classes.num}>{formatInr(invested)}</td>
            <td className={classes.num}>{formatInr(live.reduce((n, s) => n + (s.failed_amount ?? 0), 0))}</td>
          </tr>
        </tfoot>
      </table>
      <h2>Talking points</h2>
      {client.opportunities.length === 0 ? <p>No open opportunities: a courtesy call to confirm goals.</p> : null}
      {client.opportunities.map((o) => (
        <section key={o.type} className={classes.opportunity}>
          <h3>
            {TYPE_LABELS[o.type]}{' '}
            <span>
              score {o.score.toFixed(1)} · {formatInr(o.annual_value)} a year
            </span>
          </h3>
          <p>{o.description}</p>
          <ul>
            {o.talking_points.map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
        </section>
      ))}
      <footer className={classes.footer}>
        Figures from the SIP book export, as of {formatDate(client.as_of)}. Prepared with Partner Dashboard.
      </footer>
    </article>
  )
}

/** The one-page A4 client report: printed through the system dialog or saved as PDF. */
export function ReportRoute() {
  const { id } = useParams<{ id: string }>()
  const userId = decodeURIComponent(id)
  const client = useClient(userId)
  useEffect(() => onMenu((action) => action === 'print' && window.print()), [])
  const savePdf = async () => {
    try {
      const { path } = await invoke('report:savePdf', { suggestedName: `${client.data?.name ?? userId} - client report.pdf` })
      if (path) notifications.show({ color: 'teal', title: 'Report saved', message: path })
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not save the PDF', message: (error as Error).message })
    }
  }
  return (
    <div className={classes.screen}>
      <Group className={classes.toolbar} justify="space-between">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => window.history.back()}>
          Back
        </Button>
        <Group>
          <Text size="sm" c="dimmed">
            A4, one page
          </Text>
          {isDesktop ? (
            <Button variant="default" leftSection={<IconFileTypePdf size={16} />} onClick={() => void savePdf()}>
              Save as PDF…
            </Button>
          ) : null}
          <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>
            Print…
          </Button>
        </Group>
      </Group>
      {client.data ? <ReportPage client={client.data} /> : null}
    </div>
  )
}
