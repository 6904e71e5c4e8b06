import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react'
import { Alert, Button, Group, Kbd, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { CALL_OUTCOMES, OUTCOME_LABELS, STATE_LABELS, type CallOutcome, type CallResult } from '@shared/detection'
import { formatDate } from '@shared/format'
import { useLeaveGuard } from '../../api/hashLocation'
import { useLogCall } from '../../api/queries'
import { NextActionDateInput } from './NextActionDateInput'

/** The client a call is logged on (SPEC §3.1: a user_id with its agent). */
export interface CallTarget {
  user_id: string
  agent_external_id: string | null
  label: string
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
 * SPEC §4: log a call on a client — outcome (keys 1–5), note, next action date (required for a
 * call back) — with Enter to save. A typed note is never dropped silently: closing asks first.
 */
export function LogCallDialog({
  target,
  onClose,
  onSaved,
}: {
  target: CallTarget | null
  onClose: () => void
  onSaved?: (result: CallResult) => void
}) {
  // Escape and a click outside go through the form, which asks before dropping a typed note.
  const requestCloseRef = useRef(onClose)
  return (
    <Modal opened={target !== null} onClose={() => requestCloseRef.current()} withCloseButton={false} size={720} padding={0}>
      {target ? (
        <LogCallForm
          key={`${target.user_id}\u0000${target.agent_external_id}`}
          target={target}
          onClose={onClose}
          onSaved={onSaved}
          requestCloseRef={requestCloseRef}
        />
      ) : null}
    </Modal>
  )
}

function LogCallForm({
  target,
  onClose,
  onSaved,
  requestCloseRef,
}: {
  target: CallTarget
  onClose: () => void
  onSaved?: (result: CallResult) => void
  requestCloseRef: RefObject<() => void>
}) {
  const [outcome, setOutcome] = useState<CallOutcome>('reached')
  const [note, setNote] = useState('')
  const [next, setNext] = useState<string | null>(null)
  const [dateMissing, setDateMissing] = useState(false)
  const [confirmingDiscard, setConfirmingDiscard] = useState(false)
  const logCall = useLogCall()
  const noteRef = useRef<HTMLTextAreaElement>(null)
  const focusNote = () => requestAnimationFrame(() => noteRef.current?.focus())

  const pickOutcome = (value: CallOutcome) => {
    setOutcome(value)
    setDateMissing(false)
  }
  const close = () => (note.trim() ? setConfirmingDiscard(true) : onClose())
  // Leaving the screen (sidebar, menu, Back) with a typed note asks the same question; the move waits for the answer.
  const [leaving, setLeaving] = useState<(() => void) | null>(null)
  useLeaveGuard(note.trim() !== '', (proceed) => {
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
    if (logCall.isPending) return
    if (outcome === 'call_back' && !next) {
      setDateMissing(true)
      return
    }
    logCall.mutate(
      { user_id: target.user_id, agent_external_id: target.agent_external_id, outcome, note: note.trim() || null, next_action_date: next },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'green',
            title: `Call logged: ${target.label} — ${OUTCOME_LABELS[outcome]}`,
            message: describeCallResult(result),
          })
          onSaved?.(result)
          onClose()
        },
      },
    )
  }
  // 1–5 pick the outcome and move on to the note; typing in the note is left alone.
  useHotkeys(
    CALL_OUTCOMES.map((value, i) => [
      String(i + 1),
      () => {
        pickOutcome(value)
        focusNote()
      },
    ]),
    ['TEXTAREA'],
  )
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    const element = event.target as HTMLElement
    if (element.tagName === 'BUTTON' || element.tagName === 'A') return // buttons, the calendar's days, quick picks do their own thing
    event.preventDefault()
    save()
  }

  return (
    <Stack gap="md" p="lg" onKeyDown={onKeyDown} data-testid="log-call-form">
      <Stack gap={2}>
        <Text fw={600} size="lg" truncate>
          Log call — {target.label}
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">1</Kbd>–<Kbd size="xs">5</Kbd> outcome · <Kbd size="xs">Enter</Kbd> save · <Kbd size="xs">Shift</Kbd>+
          <Kbd size="xs">Enter</Kbd> new line in the note · <Kbd size="xs">Esc</Kbd> close
        </Text>
      </Stack>
      <SegmentedControl
        fullWidth
        value={outcome}
        onChange={(value) => pickOutcome(value as CallOutcome)}
        data={CALL_OUTCOMES.map((value, i) => ({ value, label: `${i + 1} ${OUTCOME_LABELS[value]}` }))}
        aria-label="Outcome"
      />
      <Textarea
        ref={noteRef}
        label="Note"
        placeholder="What was said, what was agreed"
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={8}
        maxLength={10_000}
      />
      <NextActionDateInput
        value={next}
        onChange={(value) => {
          setNext(value)
          setDateMissing(false)
          focusNote() // so Enter saves next
        }}
        required={outcome === 'call_back'}
        error={dateMissing ? 'A call back needs a next action date' : null}
      />
      {logCall.isError ? (
        <Alert color="red" title="The call was not saved">
          {(logCall.error as Error).message}
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
        <Button onClick={save} loading={logCall.isPending}>
          Save call
        </Button>
      </Group>
    </Stack>
  )
}
