import { useState } from 'react'
import { Alert, Button, Group, TextInput } from '@mantine/core'
import { useSettingsUpdate } from '../api/queries'

/**
 * SPEC §5: before the first client-facing output with no advisor name set, ask for it here (with
 * the ARN), instead of sending a client "your advisor" or "Add your name…".
 */
export function AdvisorNamePrompt() {
  const [name, setName] = useState('')
  const [arn, setArn] = useState('')
  const update = useSettingsUpdate()
  const save = () => update.mutate({ advisor: { name: name.trim(), ...(arn.trim() && { arn: arn.trim() }) } })
  return (
    <Alert color="yellow" title="Your name goes on what the client reads" data-testid="advisor-prompt">
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (name.trim()) save()
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label="Your name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
          <TextInput label="ARN" placeholder="ARN-123456" value={arn} onChange={(e) => setArn(e.currentTarget.value)} w={140} />
          <Button type="submit" disabled={!name.trim()} loading={update.isPending}>
            Save
          </Button>
        </Group>
        {update.error ? (
          <Alert color="red" mt="xs">
            {update.error.message}
          </Alert>
        ) : null}
      </form>
    </Alert>
  )
}
