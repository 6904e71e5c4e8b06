import { memo, useCallback, useState } from 'react'
import { Badge, Button, MultiSelect, NumberInput, Popover, RangeSlider, Stack, Switch, Text, TextInput } from '@mantine/core'
import { useDebouncedCallback } from '@mantine/hooks'
import { IconAdjustmentsHorizontal, IconSearch } from '@tabler/icons-react'
import { FOLLOW_UP_STATES, STATE_LABELS, type FollowUpState } from '@shared/detection'
import { DEFAULT_LIST, moreFilterCount, type ListState } from '../logic/listState'
import { INR_GROUPING } from './moneyInput'
import { AgentFilter } from './today/AgentFilter'

interface Props {
  state: ListState
  onChange: (change: Partial<ListState>) => void
}

/** The client search, typed into freely; the list follows a moment after the last key. */
function SearchField({ value, onChange }: { value: string; onChange: (search: string) => void }) {
  const [text, setText] = useState(value)
  const [shown, setShown] = useState(value)
  if (value !== shown) {
    // Back/Forward or a link changed the search: show it.
    setShown(value)
    setText(value)
  }
  const send = useDebouncedCallback(onChange, 250)
  return (
    <TextInput
      aria-label="Client"
      placeholder="Client: name, phone, email, id"
      leftSection={<IconSearch size={14} />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value)
        send(event.currentTarget.value)
      }}
      w={230}
      data-testid="list-search"
    />
  )
}

/** Score range, money at stake, follow-up states, overdue and snoozed: behind one button. */
function MoreFilters({ state, onChange }: Props) {
  const saved = `${state.minScore}-${state.maxScore}`
  const [scores, setScores] = useState<[number, number]>([state.minScore, state.maxScore])
  const [shown, setShown] = useState(saved)
  if (saved !== shown) {
    setShown(saved)
    setScores([state.minScore, state.maxScore])
  }
  const active = moreFilterCount(state)
  return (
    <Popover width={320} position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Button
          variant={active > 0 ? 'light' : 'default'}
          leftSection={<IconAdjustmentsHorizontal size={16} />}
          data-testid="more-filters"
          style={{ flex: 'none' }}
        >
          More filters{active > 0 ? ` (${active})` : ''}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500}>
              Score {scores[0]}–{scores[1]}
            </Text>
            <RangeSlider
              min={0}
              max={10}
              step={0.5}
              minRange={0}
              value={scores}
              onChange={setScores}
              onChangeEnd={([minScore, maxScore]) => onChange({ minScore, maxScore })}
              label={null}
              aria-label="Score range"
            />
          </div>
          <NumberInput
            label="At least (₹ a year)"
            value={state.minValue || ''}
            onChange={(v) => onChange({ minValue: typeof v === 'number' && v > 0 ? v : 0 })}
            min={0}
            step={1000}
            prefix="₹"
            {...INR_GROUPING}
          />
          <MultiSelect
            data-testid="state-filter"
            label="Follow-up"
            placeholder={state.states.length ? undefined : 'Open & contacted'}
            data={FOLLOW_UP_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
            value={state.states}
            onChange={(states) => onChange({ states: states as FollowUpState[] })}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <Switch label="Overdue only" checked={state.overdue} onChange={(e) => onChange({ overdue: e.currentTarget.checked })} />
          <Switch label="Show snoozed" checked={state.snoozed} onChange={(e) => onChange({ snoozed: e.currentTarget.checked })} />
          <Button
            variant="subtle"
            size="xs"
            disabled={active === 0}
            onClick={() =>
              onChange({
                minScore: 0,
                maxScore: 10,
                minValue: 0,
                states: DEFAULT_LIST.states,
                overdue: false,
                snoozed: false,
              })
            }
          >
            Reset these filters
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}

/** The list's filters on one line; memoised, since the list's place moves the address (and the route) as it scrolls. */
export const OpportunityFilters = memo(function OpportunityFilters({ state, onChange }: Props) {
  const onAgent = useCallback((agent: string | null) => onChange({ agent }), [onChange])
  const onSearch = useCallback((search: string) => onChange({ search }), [onChange])
  return (
    <>
      <SearchField value={state.search} onChange={onSearch} />
      <AgentFilter value={state.agent} onChange={onAgent} w={230} data-testid="agent-filter" />
      <MoreFilters state={state} onChange={onChange} />
      {state.overdue ? (
        <Badge color="red" variant="light">
          Overdue only
        </Badge>
      ) : null}
      {state.snoozed ? <Badge variant="outline">With snoozed</Badge> : null}
    </>
  )
})
