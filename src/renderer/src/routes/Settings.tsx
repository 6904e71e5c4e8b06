import { useState } from 'react'
import {
  Button,
  Card,
  Code,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { thresholdsSchema } from '@shared/contract'
import { DEFAULT_THRESHOLDS, type AsOfMode, type Thresholds } from '@shared/detection'
import { refreshAfter, useAppInfo, useSettings } from '../api/queries'
import { invoke } from '../api/transport'
import { AdvisorCard, TemplatesCard, useSave } from '../components/SettingsCards'
import { BackupCard } from '../components/BackupCard'
import { ColumnMappingsCard } from '../components/ColumnMappingsCard'
import { INR_GROUPING } from '../components/moneyInput'
import { NextActionDateInput } from '../components/NextActionDateInput'
import { localToday } from '@shared/format'

interface Field {
  key: keyof Thresholds
  label: string
  hint: string
  suffix?: string
  money?: boolean
}
const FIELDS: Field[] = [
  { key: 'min_months_running', label: 'No step-up after', hint: 'months a SIP has run', suffix: ' months' },
  { key: 'suggested_step_up_pct', label: 'Suggested step-up', hint: 'when the SIP has none configured', suffix: '%' },
  { key: 'min_failed_amount', label: 'Failed amount from', hint: 'per SIP', money: true },
  { key: 'min_invested', label: 'High value from', hint: 'invested per client', money: true },
  { key: 'min_inactive_days', label: 'Inactive after', hint: 'days without a successful instalment', suffix: ' days' },
  { key: 'reactivation_pct', label: 'Reactivation estimate', hint: 'of the old monthly amount', suffix: '%' },
  { key: 'auto_cancel_after', label: 'AMC cancels after', hint: 'failed instalments in a row (SEBI: 3 monthly)', suffix: ' failures' },
  { key: 'ending_within_days', label: 'SIP ending within', hint: 'days of its end date', suffix: ' days' },
]

type Draft = Record<keyof Thresholds, number | ''>

/** Why a threshold as typed cannot be saved, or null: the contract's own rule and words (SPEC §3.1, §6), and never empty. */
function thresholdError(key: keyof Thresholds, value: number | ''): string | null {
  if (value === '') return 'Required'
  const parsed = thresholdsSchema.shape[key].safeParse(value)
  return parsed.success ? null : parsed.error.issues[0].message
}

/** Edits a copy of the saved thresholds; remounted (by key) whenever the saved ones change. */
function ThresholdsCard({ saved }: { saved: Thresholds }) {
  const save = useSave()
  const [draft, setDraft] = useState<Draft>(saved)
  const changed = FIELDS.some((f) => draft[f.key] !== saved[f.key])
  const errors = FIELDS.map((f) => thresholdError(f.key, draft[f.key]))
  const invalid = errors.filter(Boolean).length
  return (
    <Card withBorder radius="md">
      <Title order={4}>Detector thresholds</Title>
      <Text size="sm" c="dimmed" mb="md">
        Every list, card and report follows these. Follow-ups are kept when an opportunity stops or starts qualifying.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {FIELDS.map((f, i) => (
          <NumberInput
            key={f.key}
            label={f.label}
            description={f.hint}
            value={draft[f.key]}
            onChange={(v) => setDraft({ ...draft, [f.key]: v === '' ? '' : Number(v) })}
            clampBehavior="none"
            prefix={f.money ? '₹' : undefined}
            suffix={f.suffix}
            error={errors[i]}
            {...(f.money ? INR_GROUPING : { thousandSeparator: ',' })}
            // Kept as typed, so a negative or a fraction is refused with the rule's words, never changed into another value.
            allowNegative
            allowDecimal
            data-testid={`threshold-${f.key}`}
          />
        ))}
      </SimpleGrid>
      <Group mt="md">
        <Button disabled={!changed || invalid > 0} onClick={() => save({ thresholds: draft as Thresholds }, 'Thresholds saved')}>
          Save thresholds
        </Button>
        <Button variant="subtle" onClick={() => setDraft(DEFAULT_THRESHOLDS)}>
          Restore defaults
        </Button>
        {invalid > 0 ? (
          <Text size="sm" c="red" data-testid="thresholds-invalid">
            {invalid === 1 ? 'One threshold needs' : `${invalid} thresholds need`} a valid value before saving.
          </Text>
        ) : null}
      </Group>
    </Card>
  )
}

/** Thresholds, as-of date, theme, backups, where the data lives, and clearing it. */
export function SettingsRoute() {
  const settings = useSettings()
  const info = useAppInfo()
  const save = useSave()
  const queryClient = useQueryClient()
  const { colorScheme, setColorScheme } = useMantineColorScheme()
  const [confirmClear, setConfirmClear] = useState(false)
  if (!settings.data) return null
  const s = settings.data
  return (
    <Stack gap="lg" maw={900}>
      <Title order={2}>Settings</Title>
      <ThresholdsCard key={JSON.stringify(s.thresholds)} saved={s.thresholds} />
      <Card withBorder radius="md">
        <Title order={4}>As-of date</Title>
        <Text size="sm" c="dimmed" mb="md">
          The date days and months are counted to. The data snapshot is the latest export date in your book.
        </Text>
        <Group align="flex-end">
          <SegmentedControl
            value={s.as_of_mode}
            onChange={(mode) =>
              save(
                {
                  as_of_mode: mode as AsOfMode,
                  ...(mode === 'date' && !s.as_of_date ? { as_of_date: localToday() } : {}),
                },
                'As-of date changed',
              )
            }
            data={[
              { value: 'data', label: 'Data snapshot' },
              { value: 'today', label: 'Today' },
              { value: 'date', label: 'A date' },
            ]}
          />
          {s.as_of_mode === 'date' ? (
            <NextActionDateInput
              label="As-of date"
              quickPicks={false}
              value={s.as_of_date}
              onCommit={(date) => date && save({ as_of_date: date }, 'As-of date changed')}
              w={200}
            />
          ) : null}
        </Group>
      </Card>
      <Card withBorder radius="md">
        <Title order={4} mb="md">
          Appearance
        </Title>
        <SegmentedControl
          value={colorScheme}
          onChange={(v) => setColorScheme(v as MantineColorScheme)}
          data={[
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
            { value: 'auto', label: 'System' },
          ]}
        />
      </Card>
      <AdvisorCard key={JSON.stringify(s.advisor)} saved={s.advisor} />
      <TemplatesCard saved={s.templates} />
      <BackupCard lastBackupAt={s.last_backup_at} restoredFrom={s.restored_from} />
      <ColumnMappingsCard />
      <Card withBorder radius="md">
        <Title order={4}>Data</Title>
        <Text size="sm" mt="xs">
          Database: <Code data-testid="db-path">{info.data?.db_path}</Code>
        </Text>
        <Text size="sm" c="dimmed" mt={4}>
          {info.data
            ? `${info.data.sip_count.toLocaleString('en-IN')} SIPs, ${info.data.client_count.toLocaleString('en-IN')} clients, ${info.data.import_count} imports.`
            : null}
        </Text>
        <Button color="red" variant="light" mt="md" onClick={() => setConfirmClear(true)}>
          Clear all data…
        </Button>
      </Card>
      <Modal opened={confirmClear} onClose={() => setConfirmClear(false)} title="Clear all data?" centered>
        <Text size="sm">
          Every imported SIP, client, import report and follow-up note is deleted from this computer. Thresholds stay. This cannot be
          undone.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setConfirmClear(false)}>
            Keep my data
          </Button>
          <Button
            color="red"
            onClick={() =>
              void invoke('data:clear', { confirm: true })
                .then(() => {
                  setConfirmClear(false)
                  void refreshAfter(queryClient, 'data:clear')
                  notifications.show({ color: 'teal', message: 'All data cleared' })
                })
                .catch((error: Error) => notifications.show({ color: 'red', title: 'Not cleared', message: error.message }))
            }
          >
            Delete everything
          </Button>
        </Group>
      </Modal>
    </Stack>
  )
}
