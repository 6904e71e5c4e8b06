import { useMemo, useState } from 'react'
import { Alert, Button, Code, Group, Modal, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import type { MappingField, MappingQuestion } from '@shared/types'

type Kind = MappingQuestion['kind']
type Choice = Record<string, string | null>

/** What the required fields hold, in the advisor's words. */
const MEANING: Record<string, string> = {
  sip_meta_id: 'the SIP’s id',
  user_id: 'the client’s id',
  amount: 'the amount of one instalment',
  name: 'the client’s name',
}

const firstChoice = (fields: readonly MappingField[]): Choice => Object.fromEntries(fields.map((f) => [f.field, f.by_name ?? f.guess]))

/** Each field's problem: a required one without a column, or a column chosen for two fields. */
function problemsOf(fields: readonly MappingField[], choice: Choice): Record<string, string> {
  const problems: Record<string, string> = {}
  const byColumn = new Map<string, string>()
  for (const { field, required } of fields) {
    const column = choice[field]
    if (!column) {
      if (required) problems[field] = 'Choose the column this is read from'
      continue
    }
    const other = byColumn.get(column)
    if (other) problems[field] = `“${column}” is already chosen for ${other}`
    else byColumn.set(column, field)
  }
  return problems
}

const shown = (value: string | number | boolean | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : String(value)

/**
 * SPEC §2.5: a file whose columns do not name the fields of a record: one line per required field
 * (and each optional field no column names), pre-filled with the closest column, beside the first
 * records as they would be read. The choice is saved for files with these columns.
 */
export function ColumnMappingDialog({
  question,
  onImport,
  onCancel,
}: {
  question: MappingQuestion
  onImport: (mapping: Record<string, string>) => Promise<void>
  onCancel: () => void
}) {
  const [kind, setKind] = useState<Kind>(question.kind)
  const [choices, setChoices] = useState<Record<Kind, Choice>>(() => ({
    sip: firstChoice(question.fields.sip),
    client: firstChoice(question.fields.client),
  }))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const fields = question.fields[kind]
  const choice = choices[kind]
  const problems = problemsOf(fields, choice)
  const required = fields.filter((f) => f.required)
  const optional = fields.filter((f) => !f.required)
  const previewFields = fields.filter((f) => f.required || choice[f.field])
  // The file's columns nothing reads yet, beside the fields: where the missing ones may be.
  const chosen = new Set(Object.values(choice))
  const otherColumns = question.free_columns[kind].filter((column) => !chosen.has(column))
  const columnOptions = useMemo(() => question.columns.map((c) => ({ value: c, label: c })), [question.columns])
  const choose = (field: string, column: string | null): void =>
    setChoices((all) => ({ ...all, [kind]: { ...all[kind], [field]: column } }))

  const submit = (): void => {
    setBusy(true)
    setError(null)
    const mapping = Object.fromEntries(fields.flatMap((f) => (choice[f.field] ? [[f.field, choice[f.field]!]] : [])))
    onImport(mapping).catch((e: Error) => {
      setError(e.message)
      setBusy(false)
    })
  }

  const select = (f: MappingField, size: 'sm' | 'xs') => (
    <Select
      key={f.field}
      size={size}
      label={f.field}
      description={size === 'sm' ? MEANING[f.field] : undefined}
      withAsterisk={f.required}
      placeholder={f.required ? 'Choose a column' : 'Not in this file'}
      data={columnOptions}
      value={choice[f.field] ?? null}
      onChange={(column) => choose(f.field, column)}
      searchable
      clearable={!f.required}
      error={problems[f.field]}
      comboboxProps={{ withinPortal: true }}
      data-testid={`map-${f.field}`}
    />
  )

  return (
    <Modal opened onClose={onCancel} title="Which column holds what?" size={1180} centered closeOnClickOutside={false}>
      <Stack gap="sm" data-testid="mapping-dialog">
        <Text size="sm">
          <b>{question.file}</b> ({question.format}): its columns do not name{' '}
          {question.missing.length > 0
            ? question.missing.map((m, i) => [i > 0 ? ', ' : '', <Code key={m}>{m}</Code>])
            : 'the fields of a record'}
          . Choose the column each field is read from; the choice is saved and used by itself for files with the same columns.
        </Text>
        <Group gap="sm">
          <Text size="sm" fw={500}>
            Each row is
          </Text>
          <SegmentedControl
            size="xs"
            value={kind}
            onChange={(value) => setKind(value as Kind)}
            data={[
              { value: 'sip', label: 'a SIP' },
              { value: 'client', label: 'a client' },
            ]}
          />
        </Group>
        <SimpleGrid cols={required.length} spacing="sm">
          {required.map((f) => select(f, 'sm'))}
        </SimpleGrid>
        {optional.length > 0 ? (
          <div>
            <Text size="sm" fw={500} mb={4}>
              Optional fields no column names ({optional.length})
            </Text>
            <ScrollArea.Autosize mah={128} type="auto" offsetScrollbars>
              <SimpleGrid cols={5} spacing="xs" verticalSpacing={4}>
                {optional.map((f) => select(f, 'xs'))}
              </SimpleGrid>
            </ScrollArea.Autosize>
          </div>
        ) : null}
        <div>
          <Text size="sm" fw={500} mb={4}>
            The first {question.preview.length} records as they would be read, and the columns nothing reads yet
          </Text>
          <ScrollArea type="auto" offsetScrollbars>
            <Table striped withTableBorder fz="xs" data-testid="mapping-preview" style={{ whiteSpace: 'nowrap' }}>
              <Table.Thead>
                <Table.Tr>
                  {previewFields.map((f) => (
                    <Table.Th key={f.field}>{f.field}</Table.Th>
                  ))}
                  {otherColumns.map((column) => (
                    <Table.Th key={`column-${column}`} c="dimmed" fw={400} fs="italic">
                      “{column}”
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {question.preview.map((row, r) => (
                  <Table.Tr key={r}>
                    {previewFields.map((f) => {
                      const column = choice[f.field]
                      return <Table.Td key={f.field}>{column ? shown(row[question.columns.indexOf(column)]) : '—'}</Table.Td>
                    })}
                    {otherColumns.map((column) => (
                      <Table.Td key={`column-${column}`} c="dimmed">
                        {shown(row[question.columns.indexOf(column)])}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </div>
        {error ? (
          <Alert color="red" icon={<IconAlertTriangle />} p="xs">
            <Text size="sm">{error}</Text>
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button onClick={submit} loading={busy} disabled={Object.keys(problems).length > 0}>
            Import with these columns
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
