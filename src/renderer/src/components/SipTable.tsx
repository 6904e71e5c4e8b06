import { Badge, Table, Text } from '@mantine/core'
import type { ClientSip } from '@shared/detection'
import { debitsLine, formatCount, formatDate, formatInr } from '@shared/format'

const STATUS_COLORS: Record<string, string> = { Success: 'teal', Failed: 'red', Paused: 'yellow', 'In Progress': 'blue' }

const stepUp = (s: ClientSip): string =>
  s.increment_percentage && s.increment_percentage > 0
    ? `${s.increment_percentage}% every ${s.increment_period === '6M' ? '6 months' : 'year'}`
    : 'none'

/** A client's SIPs with status, amounts, dates, step-up and mandate. */
export function SipTable({ sips, compact = false }: { sips: ClientSip[]; compact?: boolean }) {
  return (
    <Table verticalSpacing={compact ? 4 : 'xs'} fz={compact ? 'xs' : 'sm'} data-testid="sip-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>SIP</Table.Th>
          <Table.Th>Schemes</Table.Th>
          <Table.Th miw={120}>Status</Table.Th>
          <Table.Th ta="right">Monthly</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Last paid</Table.Th>
          <Table.Th ta="right">Instalments</Table.Th>
          <Table.Th ta="right">Invested</Table.Th>
          <Table.Th ta="right">Failed</Table.Th>
          {compact ? null : <Table.Th>Step-up</Table.Th>}
          {compact ? null : <Table.Th>Mandate</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sips.map((s) => (
          <Table.Tr key={s.sip_meta_id} opacity={s.deleted ? 0.5 : 1}>
            <Table.Td>{s.sip_meta_id}</Table.Td>
            <Table.Td maw={compact ? 220 : 320}>
              <Text size={compact ? 'xs' : 'sm'} lineClamp={2}>
                {s.schemes.join(', ') || '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              {s.deleted ? (
                <Badge color="gray" size="sm" variant="outline">
                  deleted
                </Badge>
              ) : (
                <Badge color={STATUS_COLORS[s.status ?? ''] ?? 'gray'} size="sm" variant="light">
                  {s.status ?? 'Unknown'}
                  {s.is_active === false ? ' · inactive' : ''}
                </Badge>
              )}
            </Table.Td>
            <Table.Td ta="right" data-testid="sip-monthly">
              {formatInr(s.monthly_amount)}
              {s.sip_days.length > 1 ? (
                <Text size="xs" c="dimmed">
                  {debitsLine(s)}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>{formatDate(s.start_date)}</Table.Td>
            <Table.Td>{formatDate(s.latest_success_order_date)}</Table.Td>
            <Table.Td ta="right">{formatCount(s.success_count)}</Table.Td>
            <Table.Td ta="right">{formatInr(s.success_amount)}</Table.Td>
            <Table.Td ta="right">{formatInr(s.failed_amount)}</Table.Td>
            {compact ? null : <Table.Td>{stepUp(s)}</Table.Td>}
            {compact ? null : (
              <Table.Td>
                {s.has_current_mandate === false ? (
                  <Badge color="red" size="sm" variant="light">
                    missing
                  </Badge>
                ) : s.has_current_mandate ? (
                  'active'
                ) : (
                  '—'
                )}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
