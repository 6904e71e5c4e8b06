import { useState } from 'react'
import { Autocomplete } from '@mantine/core'
import { useDebouncedValue, useHotkeys } from '@mantine/hooks'
import { IconSearch } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useLocation } from 'wouter'
import { invoke } from '../api/transport'

/** Finds a client by name, phone, email, user id or SIP id, and opens their page. */
export function ClientSearch() {
  const [, navigate] = useLocation()
  const [value, setValue] = useState('')
  const [query] = useDebouncedValue(value.trim(), 200)
  const matches = useQuery({
    queryKey: ['clients:search', query],
    queryFn: () => invoke('clients:search', { query, limit: 10 }),
    enabled: query.length >= 2,
  })
  useHotkeys([['mod+K', () => document.getElementById('client-search')?.focus()]])
  const options = (matches.data ?? []).map((m) => ({
    value: m.user_id,
    label: `${m.name ?? m.user_id}${m.phone_number ? ` · ${m.phone_number}` : ''} · ${m.sips} SIP${m.sips === 1 ? '' : 's'}`,
  }))
  return (
    <Autocomplete
      id="client-search"
      aria-label="Search clients"
      placeholder="Search clients (Ctrl+K)"
      leftSection={<IconSearch size={14} />}
      w={300}
      value={value}
      onChange={setValue}
      data={options}
      filter={({ options: all }) => all}
      onOptionSubmit={(userId) => {
        setValue('')
        navigate(`/clients/${encodeURIComponent(userId)}`)
      }}
    />
  )
}
