import { Button, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { IconFileImport, IconSparkles, IconUpload } from '@tabler/icons-react'
import { useImports } from '../api/ImportProvider'

/** First run: open an export, drop one, or try the bundled sample book. */
export function OpenData() {
  const { openExport, trySample, importFiles } = useImports()
  return (
    <Stack align="center" justify="center" mih="70vh" gap="xl" data-testid="empty-state">
      <Stack align="center" gap={6}>
        <ThemeIcon size={64} radius="xl" variant="light">
          <IconFileImport size={34} stroke={1.5} />
        </ThemeIcon>
        <Title order={2}>Open your SIP book</Title>
        <Text c="dimmed" ta="center" maw={520}>
          Export your SIP book (and optionally your client list) as JSON, CSV or Excel from your platform, then open it here. Everything
          stays on this computer.
        </Text>
      </Stack>
      <Group>
        <Button size="md" leftSection={<IconUpload size={18} />} onClick={openExport}>
          Open export…
        </Button>
        <Button size="md" variant="light" leftSection={<IconSparkles size={18} />} onClick={() => void trySample()}>
          Try sample data
        </Button>
      </Group>
      <Card withBorder radius="md" w="100%" maw={620} p={0}>
        <Dropzone
          onDrop={(files) => void importFiles(files)}
          activateOnClick={false}
          activateOnKeyboard={false}
          radius="md"
          p="xl"
          data-testid="dropzone"
        >
          <Stack align="center" gap={4} style={{ pointerEvents: 'none' }}>
            <Text fw={600}>Drop export files here</Text>
            <Text size="sm" c="dimmed">
              JSON, JSON Lines, CSV or XLSX, formatted or raw Metabase exports, several at once
            </Text>
          </Stack>
        </Dropzone>
      </Card>
    </Stack>
  )
}
