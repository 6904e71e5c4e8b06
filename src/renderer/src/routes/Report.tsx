import '@fontsource/noto-sans/400.css'
import '@fontsource/noto-sans/700.css'
import './reportFonts.css'
import { Button, Group, SegmentedControl, Text } from '@mantine/core'
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useEffect } from 'react'
import { useLocation, useParams, useSearch } from 'wouter'
import { clientLabel, TYPE_LABELS, type AdvisorProfile, type ClientDetail, type ClientSip } from '@shared/detection'
import { formatArn, formatEuin, moreFunds } from '@shared/messages'
import { debitsLine, formatCount, formatDate, formatInr } from '@shared/format'
import { useCapabilities, useClient, useSettings } from '../api/queries'
import { invoke, onMenu } from '../api/transport'
import { localToday } from '@shared/format'
import {
  clientMoney,
  clientOpportunities,
  clientStanding,
  clientSuggestion,
  clientTotals,
  keepDatesWhole,
  reportSips,
  RISK_LINE,
  SCHEME_LINE_CHARS,
  sipNames,
} from '../logic/report'
import { AdvisorNamePrompt } from '../components/AdvisorNamePrompt'
import { addressAgent } from '../logic/labels'
import classes from './Report.module.css'

type Audience = 'advisor' | 'client'

/** SPEC §5: the advisor's name, `ARN-123456 · EUIN E123456` and contact; nothing when no name is set (the screen asks for it). */
function AdvisorBlock({ advisor }: { advisor: AdvisorProfile }) {
  if (!advisor.name) return null
  const lines = [
    advisor.name,
    [advisor.arn && formatArn(advisor.arn), advisor.euin && `EUIN ${formatEuin(advisor.euin)}`].filter(Boolean).join(' · '),
    [advisor.phone, advisor.email].filter(Boolean).join(' · '),
  ].filter(Boolean)
  return (
    <div className={classes.advisor} data-testid="report-advisor">
      <span>Your mutual fund distributor</span>
      {lines.map((line) => (
        <strong key={line}>{line}</strong>
      ))}
    </div>
  )
}

/** A SIP's scheme names in full (two lines at most each), "+k more funds" after three, else its goal. */
function SchemeCell({ sip }: { sip: ClientSip }) {
  const { names, more } = sipNames(sip)
  if (names.length === 0) return <>—</>
  return (
    <>
      {names.map((name, i) => (
        <div key={i} className={classes.schemeName}>
          {name}
        </div>
      ))}
      {more > 0 ? <div className={classes.moreFunds}>{moreFunds(more, 'en')}</div> : null}
    </>
  )
}

function ReportPage({ client, audience, advisor }: { client: ClientDetail; audience: Audience; advisor: AdvisorProfile }) {
  const forClient = audience === 'client'
  const totals = clientTotals(client)
  const { shown, more } = reportSips(client.sips, SCHEME_LINE_CHARS[audience])
  const money = forClient ? clientMoney : formatInr
  const suggestions = forClient ? clientOpportunities(client) : client.opportunities
  const atStake = client.opportunities.reduce((n, o) => Math.max(n, o.annual_value), 0)
  return (
    <article className={classes.page} data-testid="client-report" data-audience={audience}>
      <header className={classes.header}>
        <div>
          <h1>{clientLabel(client.name, client.user_id)}</h1>
          <p>{[client.phone_number, client.email].filter(Boolean).join(' · ') || (forClient ? '' : client.user_id)}</p>
          {forClient ? null : (
            <p>
              {client.crn ? `CRN ${client.crn} · ` : ''}Agent: {client.agent_name ?? client.agent_external_id ?? '—'}
            </p>
          )}
        </div>
        <div className={classes.meta}>
          <strong>{forClient ? 'Your SIP review' : 'Client review (advisor copy)'}</strong>
          <span>Figures as of {formatDate(client.as_of)}</span>
          <span>Prepared {formatDate(localToday())}</span>
        </div>
      </header>
      <section className={classes.figures}>
        <div>
          <span>Live SIPs</span>
          <strong>{formatCount(totals.live)}</strong>
        </div>
        {/* SPEC §5: no ₹0 figure in the client copy ("Invested ₹0", or a monthly ₹0 when every SIP is paused, is left out). */}
        {!forClient || totals.monthly > 0 ? (
          <div>
            <span>Monthly SIP</span>
            <strong>{formatInr(totals.monthly)}</strong>
          </div>
        ) : null}
        {!forClient || totals.invested > 0 ? (
          <div>
            <span>Invested</span>
            <strong>{formatInr(totals.invested)}</strong>
          </div>
        ) : null}
        {!forClient || client.total_current_value ? (
          <div>
            <span>Current value</span>
            <strong>{formatInr(client.total_current_value)}</strong>
          </div>
        ) : null}
        {forClient ? null : (
          <div>
            <span>Largest ₹ a year at stake</span>
            <strong>{formatInr(atStake)}</strong>
          </div>
        )}
      </section>
      <h2>{forClient ? 'Your SIPs' : 'SIPs, largest first'}</h2>
      <table className={classes.table} data-testid="report-sips">
        <thead>
          <tr>
            {forClient ? null : <th>SIP</th>}
            <th>Scheme</th>
            <th>Status</th>
            <th className={classes.num}>Monthly</th>
            <th className={classes.date}>Started</th>
            <th className={classes.date}>Last paid</th>
            <th className={classes.num}>Invested</th>
            {forClient ? null : <th className={classes.num}>Failed</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr key={s.sip_meta_id}>
              {forClient ? null : <td className={classes.id}>{s.sip_meta_id}</td>}
              <td className={classes.scheme} title={s.schemes.join(', ')}>
                <SchemeCell sip={s} />
              </td>
              <td className={classes.status}>{`${s.status ?? '—'}${s.is_active === false ? ' (inactive)' : ''}`}</td>
              <td className={classes.num} title={debitsLine(s)}>
                {formatInr(s.monthly_amount)}
                {s.sip_days.length > 1 ? <div className={classes.debits}>{debitsLine(s)}</div> : null}
              </td>
              <td className={classes.date}>{formatDate(s.start_date)}</td>
              <td className={classes.date}>{formatDate(s.latest_success_order_date)}</td>
              <td className={classes.num}>{money(s.success_amount)}</td>
              {forClient ? null : <td className={classes.num}>{formatInr(s.failed_amount)}</td>}
            </tr>
          ))}
          {more.length > 0 ? (
            <tr className={classes.more} data-testid="report-more">
              <td colSpan={forClient ? 3 : 4}>
                +{formatCount(more.length)} more SIP{more.length === 1 ? '' : 's'} (smaller),{' '}
                {formatInr(more.reduce((n, s) => n + s.monthly_amount, 0))} a month in all
              </td>
              <td colSpan={forClient ? 3 : 4} />
            </tr>
          ) : null}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={forClient ? 2 : 3}>{totals.live === 1 ? 'The live SIP' : `All ${formatCount(totals.live)} live SIPs`}</td>
            <td className={classes.num}>{formatInr(client.sips.filter((s) => !s.deleted).reduce((n, s) => n + s.monthly_amount, 0))}</td>
            <td colSpan={2} />
            <td className={classes.num}>{money(totals.invested)}</td>
            {forClient ? null : (
              <td className={classes.num}>
                {formatInr(client.sips.filter((s) => !s.deleted).reduce((n, s) => n + (s.failed_amount ?? 0), 0))}
              </td>
            )}
          </tr>
        </tfoot>
      </table>
      <h2>{forClient ? 'Suggestions for you' : 'Talking points'}</h2>
      {suggestions.length === 0 ? (
        <p data-testid="report-standing">
          {forClient ? clientStanding(client) : 'No open opportunities: a courtesy call to confirm goals.'}
        </p>
      ) : null}
      {forClient ? (
        <ul className={classes.suggestions}>
          {suggestions.map((o) => (
            <li key={`${o.type}-${o.agent_external_id}`}>{keepDatesWhole(clientSuggestion(o, localToday()))}</li>
          ))}
        </ul>
      ) : (
        client.opportunities.map((o) => (
          <section key={`${o.type}-${o.agent_external_id}`} className={classes.opportunity}>
            <h3>
              {TYPE_LABELS[o.type]}{' '}
              <span>
                score {o.score.toFixed(1)} · {formatInr(o.annual_value)} a year at stake
              </span>
            </h3>
            <p>{keepDatesWhole(o.description)}</p>
            <ul>
              {o.talking_points.map((point) => (
                <li key={point}>{keepDatesWhole(point)}</li>
              ))}
            </ul>
          </section>
        ))
      )}
      <footer className={classes.footer}>
        {forClient ? <AdvisorBlock advisor={advisor} /> : null}
        <p className={classes.risk} data-testid="report-risk">
          {RISK_LINE}
        </p>
        {forClient ? null : <p>Figures from the SIP book export, as of {formatDate(client.as_of)}. Prepared with Partner Dashboard.</p>}
      </footer>
    </article>
  )
}

/** The one-page A4 client report, for the advisor or to hand to the client: printed through the system dialog or saved as PDF. */
export function ReportRoute() {
  const { id } = useParams<{ id: string }>()
  const userId = decodeURIComponent(id)
  const search = new URLSearchParams(useSearch())
  const audience: Audience = search.get('for') === 'client' ? 'client' : 'advisor'
  const [location, navigate] = useLocation()
  const client = useClient(userId, addressAgent(search.toString()))
  const forAudience = (value: string): string => {
    const next = new URLSearchParams(search)
    if (value === 'client') next.set('for', 'client')
    else next.delete('for')
    return `${location}?${next.toString()}`
  }
  const settings = useSettings()
  const capabilities = useCapabilities()
  useEffect(() => onMenu((action) => action.kind === 'print' && window.print()), [])
  const savePdf = async () => {
    try {
      const { path } = await invoke('report:savePdf', { suggested_name: `${client.data?.name ?? userId} - SIP review.pdf` })
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
          <SegmentedControl
            aria-label="Report for"
            value={audience}
            onChange={(value) => navigate(forAudience(value), { replace: true })}
            data={[
              { value: 'advisor', label: 'Advisor copy' },
              { value: 'client', label: 'For the client' },
            ]}
          />
          <Text size="sm" c="dimmed">
            A4, one page
          </Text>
          {capabilities.save_pdf ? (
            <Button variant="default" leftSection={<IconFileTypePdf size={16} />} onClick={() => void savePdf()}>
              Save as PDF…
            </Button>
          ) : null}
          <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>
            Print…
          </Button>
        </Group>
      </Group>
      {audience === 'client' && settings.data && !settings.data.advisor.name ? (
        <div className={classes.prompt}>
          <AdvisorNamePrompt />
        </div>
      ) : null}
      {client.isError ? <Text c="red">{client.error.message}</Text> : null}
      {client.data && settings.data ? <ReportPage client={client.data} audience={audience} advisor={settings.data.advisor} /> : null}
    </div>
  )
}
