import { useEffect, useRef, useState, type RefObject } from 'react'
import { Alert, Button, Group, Kbd, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core'
import { useWindowEvent } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { CALL_OUTCOMES, OUTCOME_LABELS, STATE_LABELS, type CallOutcome, type CallResult, type TodayRow } from '@shared/detection'
import type { RequestOf } from '@shared/contract'
import { formatDate, formatInr } from '@shared/format'
import { useLeaveGuard } from '../../api/hashLocation'
import { nextDatesOptions, useLogCall } from '../../api/queries'
import { NextActionDateInput } from '../NextActionDateInput'
import { LastContact, ReasonAmounts } from './ClientContext'
import classes from './Today.module.css'

/** The client a call is logged on (SPEC §3.1: a user_id with its agent), with what the dialog shows beside the form. */
export interface CallTarget {
  user_id: string
  agent_external_id: string | null
  label: string
  /** SPEC §5: phone, ₹ at stake, reasons and last contact (Today's row has them; the client page shows them around). */
  context?: Pick<TodayRow, 'phone' | 'at_stake' | 'reasons' | 'last_contact'>
}

/** What was typed in the dialog; a failed save reopens it as it was. */
interface Draft {
  outcome: CallOutcome
  note: string
  /** The next action date the advisor set (null: none); `edited` false means the outcome's default. */
  next: string | null
  edited: boolean
}
const EMPTY: Draft = { outcome: 'reached', note: '', next: null, edited: false }

interface Shown {
  /** Tells the dialogs apart: the one asked for, or each failed save. */
  key: string
  target: CallTarget
  draft: Draft
  error: string | null
}

/** "2 opportunities now Contacted · next action 3 Dec 2026": what a saved call changed. */
export function describeCallResult({ call, applied }: CallResult): string {
  const states = new Map<string, number>()
  for (const { state } of applied) states.set(state, (states.get(state) ?? 0) + 1)
  const changes = [...states].map(
    ([state, n]) => `${n} opportunit${n === 1 ? 'y' : 'ies'} now ${STATE_LABELS[state as keyof typeof STATE_LABELS]}`,
  )
  const next = call.next_action_date ? `next action ${formatDate(call.next_action_date)}` : 'no next action date'
  return [...(changes.length > 0 ? changes : ['no opportunity to update']), next].join(' · ')
}

/**
 * SPEC §4, §5: log a call on a client — outcome (keys 1–5), note, next action date (pre-filled with
 * the outcome's default, typed or picked) — beside the client's reasons. Enter saves from any field;
 * the dialog closes at once and the call is saved behind it (`onSaved` right away, so the list moves
 * on); a failed save reopens it with what was typed. A typed note is never dropped silently.
 */
export function LogCallDialog({ target, onClose, onSaved }: { target: CallTarget | null; onClose: () => void; onSaved?: () => void }) {
  const [failed, setFailed] = useState<Shown[]>([])
  const failures = useRef(0)
  const logCall = useLogCall<Shown>({
    saved: (result, { target: saved, draft }) =>
      notifications.show({
        color: 'green',
        title: `Call logged: ${saved.label} — ${OUTCOME_LABELS[draft.outcome]}`,
        message: describeCallResult(result),
      }),
    failed: (error, shown) => setFailed((list) => [...list, { ...shown, key: `failed ${++failures.current}`, error: error.message }]),
  })
  // The dialog asked for, else a failed save waiting to be seen again.
  const shown: Shown | null = target
    ? { key: `${target.user_id}\u0000${target.agent_external_id}`, target, draft: EMPTY, error: null }
    : (failed[0] ?? null)
  const close = () => (target ? onClose() : setFailed((list) => list.slice(1)))
  const submit = (request: RequestOf<'calls:log'>, draft: Draft) => {
    if (!shown) return
    close()
    if (target) onSaved?.()
    logCall.mutate({ request, draft: { ...shown, draft } })
  }
  // Escape and a click outside go through the form, which asks before dropping a typed note.
  const requestCloseRef = useRef(close)
  return (
    <Modal
      opened={shown !== null}
      onClose={() => requestCloseRef.current()}
      withCloseButton={false}
      size={900}
      padding={0}
      transitionProps={{ duration: 0 }}
    >
      {shown ? (
        <LogCallForm
          key={shown.key}
          shown={shown}
          onClose={close}
          onSubmit={submit}
          requestCloseRef={requestCloseRef}
        />
      ) : null}
    </Modal>
  )
}

/** True for a field that takes typed text (not the outcome's radios or a button). */
const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target.tagName === 'TEXTAREA' ||
    (target.tagName === 'INPUT' && !['radio', 'checkbox', 'button', 'submit'].includes((target as HTMLInputElement).type)))

function LogCallForm({
  shown: { target, draft: initial, error },
  onClose,
  onSubmit,
  requestCloseRef,
}: {
  shown: Shown
  onClose: () => void
  onSubmit: (request: RequestOf<'calls:log'>, draft: Draft) => void
  requestCloseRef: RefObject<() => void>
}) {
  // Also kept in a ref: Enter in the date field commits the date and saves in one keystroke.
  const [draft, setDraft] = useState(initial)
  const latest = useRef(initial)
  const update = (patch: Partial<Draft>) => {
    latest.current = { ...latest.current, ...patch }
    setDraft(latest.current)
  }
  const defaults = useQuery(nextDatesOptions(target))
  const nextOf = (d: Draft): string | null | undefined => (d.edited ? d.next : defaults.data ? defaults.data[d.outcome] : undefined)
  const [dateMissing, setDateMissing] = useState(false)
  const [confirmingDiscard, setConfirmingDiscard] = useState(false)
  const noteRef = useRef<HTMLTextAreaElement>(null)

  const pickOutcome = (outcome: CallOutcome) => {
    update({ outcome })
    setDateMissing(false)
  }
  const close = () => (latest.current.note.trim() ? setConfirmingDiscard(true) : onClose())
  // Leaving the screen (sidebar, menu, Back) with a typed note asks the same question; the move waits for the answer.
  const [leaving, setLeaving] = useState<(() => void) | null>(null)
  useLeaveGuard(draft.note.trim() !== '', (proceed) => {
    setLeaving(() => proceed)
    setConfirmingDiscard(true)
  })
  const keepEditing = () => {
    setLeaving(null)
    setConfirmingDiscard(false)
  }
  const discard = () => {
    onClose()
    leaving?.()
  }
  useEffect(() => {
    requestCloseRef.current = close
  })
  const save = () => {
    const d = latest.current
    const next = nextOf(d)
    if (d.outcome === 'call_back' && !next) {
      setDateMissing(true)
      return
    }
    // Undefined (the defaults not read yet) lets the service apply the same default.
    const request = { user_id: target.user_id, agent_external_id: target.agent_external_id, outcome: d.outcome, note: d.note.trim() || null }
    onSubmit(next === undefined ? request : { ...request, next_action_date: next }, d)
  }
  // Keys reach the dialog wherever the focus is, even before it has settled: 1–5 pick the outcome and
  // move on to the note; other typing outside a field goes into the note; Enter saves from any field.
  useWindowEvent('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return
    const element = event.target instanceof HTMLElement ? event.target : null
    const onControl = element !== null && ['BUTTON', 'A'].includes(element.tagName)
    if (event.key === 'Enter') {
      if (event.shiftKey || onControl || confirmingDiscard) return // buttons, the calendar's days and quick picks do their own thing
      event.preventDefault()
      save()
      return
    }
    if (isTextField(element) || onControl || event.key.length !== 1 || event.key === ' ') return
    const index = Number(event.key) - 1
    if (Number.isInteger(index) && index >= 0 && index < CALL_OUTCOMES.length) {
      event.preventDefault()
      pickOutcome(CALL_OUTCOMES[index])
    }
    noteRef.current?.focus() // the key itself, when not an outcome, is typed into the note
  })

  const next = nextOf(draft) ?? null
  return (
    <Stack gap="md" p="lg" data-testid="log-call-form" tabIndex={-1} data-autofocus style={{ outline: 'none' }}>
      <Stack gap={2}>
        <Text fw={600} size="lg" truncate>
          Log call — {target.label}
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">1</Kbd>–<Kbd size="xs">5</Kbd> outcome · <Kbd size="xs">Enter</Kbd> save · <Kbd size="xs">Shift</Kbd>+
          <Kbd size="xs">Enter</Kbd> new line in the note · <Kbd size="xs">Esc</Kbd> close
        </Text>
      </Stack>
      <Group align="flex-start" wrap="nowrap" gap="lg">
        {target.context ? <ClientSide context={target.context} /> : null}
        <Stack gap="md" style={{ flex: 1, minWidth: 0 }}>
          <SegmentedControl
            fullWidth
            value={draft.outcome}
            onChange={(value) => pickOutcome(value as CallOutcome)}
            data={CALL_OUTCOMES.map((value, i) => ({ value, label: `${i + 1} ${OUTCOME_LABELS[value]}` }))}
            aria-label="Outcome"
          />
          <Textarea
            ref={noteRef}
            label="Note"
            placeholder="What was said, what was agreed"
            value={draft.note}
            onChange={(event) => update({ note: event.currentTarget.value })}
            autosize
            minRows={3}
            maxRows={8}
            maxLength={10_000}
          />
          <NextActionDateInput
            label="Next action date"
            value={next}
            onCommit={(date) => {
              update({ next: date, edited: true })
              setDateMissing(false)
            }}
            description={draft.edited || next === null ? undefined : `The default after “${OUTCOME_LABELS[draft.outcome]}”`}
            required={draft.outcome === 'call_back'}
            error={dateMissing ? 'A call back needs a next action date' : undefined}
            popoverProps={{ withinPortal: true }}
            data-testid="next-action-date"
          />
        </Stack>
      </Group>
      {error ? (
        <Alert color="red" title="The call was not saved" data-testid="log-call-error">
          {error}
        </Alert>
      ) : null}
      {confirmingDiscard ? (
        <Alert color="yellow" title="Discard the note you typed?" data-testid="discard-note">
          <Group gap="xs" mt="xs">
            <Button size="xs" variant="default" onClick={keepEditing} autoFocus>
              Keep editing
            </Button>
            <Button size="xs" color="red" variant="light" onClick={discard}>
              {leaving ? 'Discard note and leave' : 'Discard note'}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={close}>
          Cancel
        </Button>
        <Button onClick={save}>Save call</Button>
      </Group>
    </Stack>
  )
}

/** SPEC §5: the client beside the form — phone, ₹ a year at stake, the reasons with their amounts, last contact. */
function ClientSide({ context }: { context: NonNullable<CallTarget['context']> }) {
  return (
    <Stack gap={4} w={230} style={{ flexShrink: 0 }} data-testid="log-call-context">
      {context.phone ? (
        <Text component="a" href={`tel:${context.phone}`} fw={600} size="sm">
          {context.phone}
        </Text>
      ) : (
        <div className={classes.small}>no phone number</div>
      )}
      <Text size="sm" fw={600} mt={4}>
        {formatInr(context.at_stake)} a year at stake
      </Text>
      <div>
        <ReasonAmounts reasons={context.reasons} />
      </div>
      <Text size="xs" c="dimmed" mt="xs">
        Last contact
      </Text>
      <LastContact contact={context.last_contact} />
    </Stack>
  )
}
