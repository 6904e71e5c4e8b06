import { useRef } from 'react'
import { Badge, Box, Group, Text } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { ImportIssue } from '@shared/types'
import classes from './IssuesTable.module.css'

const ROW_HEIGHT = 34

/** Rejected rows and warnings of an import, virtualised so ten thousand rows stay smooth. */
export function IssuesTable({ issues }: { issues: readonly ImportIssue[] }) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: issues.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  return (
    <Box className={classes.table} role="table" aria-label="Import issues" data-testid="issues-table">
      <div className={`${classes.row} ${classes.header}`} role="row">
        <span role="columnheader">#</span>
        <span role="columnheader">Level</span>
        <span role="columnheader">SIP</span>
        <span role="columnheader">Field</span>
        <span role="columnheader">Reason</span>
      </div>
      <div ref={scroller} className={classes.body} style={{ height: Math.min(360, issues.length * ROW_HEIGHT + 2) }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const issue = issues[item.index]
            return (
              <div
                key={item.key}
                className={classes.row}
                role="row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell">{issue.position}</span>
                <span role="cell">
                  <Badge size="sm" variant="light" color={issue.level === 'rejected' ? 'red' : 'yellow'}>
                    {issue.level}
                  </Badge>
                </span>
                <span role="cell">{issue.sip_meta_id ?? '—'}</span>
                <span role="cell">{issue.field ?? '—'}</span>
                <Text span size="sm" role="cell" truncate title={issue.reason}>
                  {issue.reason}
                </Text>
              </div>
            )
          })}
        </div>
      </div>
    </Box>
  )
}

export const IssuesEmpty = () => (
  <Group gap="xs">
    <Badge color="teal" variant="light">
      clean
    </Badge>
    <Text size="sm" c="dimmed">
      Every record was read without a problem.
    </Text>
  </Group>
)
