import { Stack, Text, Title } from '@mantine/core'

/** A screen whose content lands in a later release. */
export const ComingSoon = ({ title, what }: { title: string; what: string }) => (
  <Stack>
    <Title order={2}>{title}</Title>
    <Text c="dimmed">{what}</Text>
  </Stack>
)
